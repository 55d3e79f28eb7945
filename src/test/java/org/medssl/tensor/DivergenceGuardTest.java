package org.medssl.tensor;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  void anEarlyNaNAtASaneLearningRatePointsAtTheEngine() {
    String early = assertThrows(TrainingDiverged.class,
        () -> new DivergenceGuard("training", 0.005, 0.01).check(Double.NaN, 12)).getMessage();
    assertTrue(early.startsWith("training diverged at step 12: loss is NaN this early and with learning rate 0.00500;"
        + " that is rarely the training's fault: the engine ("), early);
    assertTrue(early.contains("run ./medssl doctor"), early);
    String late = assertThrows(TrainingDiverged.class,
        () -> new DivergenceGuard("training", 0.005, 0.01).check(Double.NaN, 500)).getMessage();
    assertTrue(late.endsWith("(try a lower learning rate or --precision fp32)"), late);
    String hot = assertThrows(TrainingDiverged.class,
        () -> new DivergenceGuard("training", 0.5, 0.01).check(Double.NaN, 3)).getMessage();
    assertTrue(hot.endsWith("(try a lower learning rate or --precision fp32)"), hot);
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
