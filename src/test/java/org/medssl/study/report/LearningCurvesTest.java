package org.medssl.study.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.medssl.seg.FineTuneResult.CurvePoint;

class LearningCurvesTest {
  static List<CurvePoint> curve(double... stepDice) {
    List<CurvePoint> out = new java.util.ArrayList<>();
    for (int i = 0; i < stepDice.length; i += 2) {
      out.add(new CurvePoint((int) stepDice[i], 0.5, stepDice[i + 1]));
    }
    return out;
  }

  @Test
  void areaIsTheTrapezoidOverNormalisedSteps() {
    // Steps 100..500 map to 0..1; segments of width 0.25: (0.2+0.6)/2, (0.6+0.8)/2, (0.8+0.8)/2, (0.8+1.0)/2.
    double expected = 0.25 * (0.4 + 0.7 + 0.8 + 0.9);
    assertEquals(expected, LearningCurves.area(curve(100, 0.2, 200, 0.6, 300, 0.8, 400, 0.8, 500, 1.0), 500), 1e-12);
  }

  @Test
  void anEarlyStoppedRunHoldsItsLastValueToTheBudget() {
    // Measured to step 300 of 500: area 0.25*(0.4+0.7) then 0.5 x 0.8 held.
    assertEquals(0.25 * (0.4 + 0.7) + 0.5 * 0.8, LearningCurves.area(curve(100, 0.2, 200, 0.6, 300, 0.8), 500), 1e-12);
  }

  @Test
  void constantCurvesHaveTheirValueAsArea() {
    assertEquals(0.7, LearningCurves.area(curve(50, 0.7, 100, 0.7), 400), 1e-12);
    assertEquals(0.7, LearningCurves.area(curve(50, 0.7), 50), 1e-12, "a single point at the budget");
    assertTrue(Double.isNaN(LearningCurves.area(curve(50, Double.NaN), 100)), "no validation values: missing");
  }

  @Test
  void convergenceIsTheFirstStepAt95PercentOfTheBest() {
    assertEquals(OptionalInt.of(300), LearningCurves.convergenceStep(curve(100, 0.2, 200, 0.7, 300, 0.77, 400, 0.8)),
        "0.95 x 0.8 = 0.76: 0.7 is short, 0.77 reaches it");
    assertEquals(OptionalInt.of(100), LearningCurves.convergenceStep(curve(100, 0.9, 200, 0.85, 300, 0.91)));
    assertEquals(OptionalInt.empty(), LearningCurves.convergenceStep(curve(100, Double.NaN)));
  }

  @Test
  void fasterLearnerHasLargerAreaAndEarlierConvergence() {
    List<CurvePoint> fast = curve(100, 0.7, 200, 0.8, 300, 0.8, 400, 0.8);
    List<CurvePoint> slow = curve(100, 0.1, 200, 0.3, 300, 0.6, 400, 0.8);
    assertTrue(LearningCurves.area(fast, 400) > LearningCurves.area(slow, 400));
    assertTrue(LearningCurves.convergenceStep(fast).getAsInt() < LearningCurves.convergenceStep(slow).getAsInt());
  }
}
