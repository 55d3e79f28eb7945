package org.medssl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PrefetchLoaderTest {

  @Test
  void deliversItemsInOrder() {
    try (PrefetchLoader<Integer> loader = new PrefetchLoader<>(i -> i * i, 50, 3)) {
      for (int i = 0; i < 50; i++) {
        assertEquals(i * i, loader.next());
      }
      assertThrows(IllegalStateException.class, loader::next);
    }
  }

  @Test
  void aProducerFailureSurfacesOnTheConsumer() {
    try (PrefetchLoader<Integer> loader = new PrefetchLoader<>(i -> {
      if (i == 2) {
        throw new IllegalArgumentException("bad item");
      }
      return i;
    }, 5, 2)) {
      loader.next();
      loader.next();
      assertEquals("bad item", assertThrows(IllegalArgumentException.class, loader::next).getMessage());
    }
  }
}
