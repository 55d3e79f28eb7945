package org.medssl.tensor;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DivergenceGuardTest {
  @Test
  void nanAndInfinityStopAtOnce() {
    assertEquals("training diverged at step 1: loss is NaN (try a lower learning rate or --precision fp32)",
        assertThrows(TrainingDiverged.class, () -> new DivergenceGuard("training").check(Double.NaN, 1)).getMessage());
    DivergenceGuard g = new DivergenceGuard("x");
    g.check(1.0, 1);
    assertThrows(TrainingDiverged.class, () -> g.check(Double.POSITIVE_INFINITY, 2));
  }

  @Test
  void explodingIsOverAHundredTimesTheFirstLoss() {
    DivergenceGuard g = new DivergenceGuard("training");
    g.check(2.0, 1);
    assertDoesNotThrow(() -> g.check(5.0, 2));
    assertDoesNotThrow(() -> g.check(199.0, 3));
    TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> g.check(201.0, 4));
    assertEquals("training diverged at step 4: loss 201.0 exploded (over 100x the first step's 2.000; try a lower"
        + " learning rate)", e.getMessage());
  }

  @Test
  void aLossStartingNearZeroMayGrowToTheFloorTimesTheFactor() {
    DivergenceGuard g = new DivergenceGuard("byol");
    g.check(0.001, 1);
    assertDoesNotThrow(() -> g.check(4.0, 2)); // BYOL's largest possible loss
    assertThrows(TrainingDiverged.class, () -> g.check(10.5, 3));
  }
}
