package org.medssl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void medianOfOddAndEvenCounts() {
    Stats odd = Stats.of(List.of(30.0, 10.0, 20.0));
    assertEquals(new Stats(20, 10, 30, 3), odd);
    assertEquals(25, Stats.of(List.of(40.0, 10.0, 20.0, 30.0)).median(), 1e-12);
  }

  @Test
  void throughputIsItemsPerSecondAtTheMedian() {
    assertEquals(80, Stats.of(List.of(100.0, 50.0, 200.0)).perSecond(8), 1e-9);
  }

  @Test
  void noValuesIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> Stats.of(List.of()));
  }
}
