package org.medssl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ScheduleTest {

  @Test
  void warmupRisesLinearlyThenCosineDecaysToTheFloor() {
    assertEquals(0.1, Schedule.warmupCosine(0, 100, 10, 1.0, 0.0), 1e-12);
    assertEquals(1.0, Schedule.warmupCosine(9, 100, 10, 1.0, 0.0), 1e-12);
    assertEquals(1.0, Schedule.warmupCosine(10, 100, 10, 1.0, 0.0), 1e-12);
    assertEquals(0.5, Schedule.warmupCosine(55, 100, 10, 1.0, 0.0), 1e-12);
    assertEquals(0.01, Schedule.warmupCosine(100, 100, 10, 1.0, 0.01), 1e-12);
  }

  @Test
  void cosineInterpolatesFromStartToEnd() {
    assertEquals(0.99, Schedule.cosine(0, 10, 0.99, 1.0), 1e-12);
    assertEquals(0.995, Schedule.cosine(5, 10, 0.99, 1.0), 1e-12);
    assertEquals(1.0, Schedule.cosine(10, 10, 0.99, 1.0), 1e-12);
  }
}
