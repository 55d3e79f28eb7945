package org.medssl.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ConfusionTest {

  @Test
  void diceAndIouFromCounts() {
    Confusion c = new Confusion(6, 2, 4, 88);

    assertEquals(12.0 / 18, c.dice(), 1e-15);
    assertEquals(6.0 / 12, c.iou(), 1e-15);
    assertEquals(8, c.predVoxels());
    assertEquals(10, c.refVoxels());
  }

  @Test
  void iouIsDiceOverTwoMinusDice() {
    long[][] counts = {{1, 0, 0}, {3, 5, 7}, {10, 1, 0}, {0, 4, 4}, {123, 45, 67}};
    for (long[] k : counts) {
      Confusion c = new Confusion(k[0], k[1], k[2], 1000);
      assertEquals(c.dice() / (2 - c.dice()), c.iou(), 1e-12);
      assertEquals(2 * c.iou() / (1 + c.iou()), c.dice(), 1e-12);
    }
  }

  @Test
  void countsBinaryMasks() {
    boolean[] pred = {true, true, false, false, true};
    boolean[] ref = {true, false, true, false, false};

    assertEquals(new Confusion(1, 2, 1, 1), Confusion.of(pred, ref));
  }

  @Test
  void bothEmptyIsPerfectAndOneEmptyIsZero() {
    assertEquals(1.0, new Confusion(0, 0, 0, 50).dice());
    assertEquals(1.0, new Confusion(0, 0, 0, 50).iou());
    assertEquals(0.0, new Confusion(0, 7, 0, 43).dice());
    assertEquals(0.0, new Confusion(0, 0, 7, 43).iou());
  }

  @Test
  void rejectsNegativeCounts() {
    assertThrows(IllegalArgumentException.class, () -> new Confusion(-1, 0, 0, 0));
  }
}
