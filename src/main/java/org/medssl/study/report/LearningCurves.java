package org.medssl.study.report;

import java.util.List;
import java.util.OptionalInt;
import org.medssl.seg.FineTuneResult.CurvePoint;

/**
 * Statistics of a validation-Dice learning curve that compare how fast initialisations learn
 * (Kalapos reports 4–5× faster convergence after hierarchical BYOL).
 */
public final class LearningCurves {
  /** A run has converged once it reaches this fraction of its own best validation Dice. */
  public static final double CONVERGED = 0.95;

  private LearningCurves() {}

  /**
   * Normalised area under the curve, in [0, 1] for Dice in [0, 1]: the trapezoid rule over steps
   * mapped linearly from [first validation step, {@code maxSteps}] to [0, 1]. A run that stopped
   * early holds its last value to {@code maxSteps}, so every run of a study covers the same range
   * and the area is comparable; nothing is assumed before the first measured point.
   *
   * @return NaN when the curve has no validation values
   */
  public static double area(List<CurvePoint> curve, int maxSteps) {
    List<CurvePoint> points = measured(curve);
    if (points.isEmpty()) {
      return Double.NaN;
    }
    CurvePoint first = points.get(0);
    CurvePoint last = points.get(points.size() - 1);
    double end = Math.max(maxSteps, last.step());
    if (end <= first.step()) {
      return first.validationDice();
    }
    double sum = 0;
    for (int i = 1; i < points.size(); i++) {
      CurvePoint a = points.get(i - 1);
      CurvePoint b = points.get(i);
      sum += (b.step() - a.step()) * (a.validationDice() + b.validationDice()) / 2;
    }
    sum += (end - last.step()) * last.validationDice();
    return sum / (end - first.step());
  }

  /** First step whose validation Dice reaches {@link #CONVERGED} of the run's best; empty without values. */
  public static OptionalInt convergenceStep(List<CurvePoint> curve) {
    List<CurvePoint> points = measured(curve);
    double best = points.stream().mapToDouble(CurvePoint::validationDice).max().orElse(Double.NaN);
    return points.stream().filter(p -> p.validationDice() >= CONVERGED * best).mapToInt(CurvePoint::step).findFirst();
  }

  private static List<CurvePoint> measured(List<CurvePoint> curve) {
    return curve.stream().filter(p -> !Double.isNaN(p.validationDice())).toList();
  }
}
