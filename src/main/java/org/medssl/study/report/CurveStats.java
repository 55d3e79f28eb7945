package org.medssl.study.report;

import org.medssl.study.plan.Cell;
import org.medssl.study.store.CellResult;

import java.util.OptionalInt;
import org.medssl.metrics.Summary;

/** Learning-curve statistics: per run, and per method over its runs. */
public final class CurveStats {
  private CurveStats() {}

  /** One run's curve area and convergence step (first step at 95 % of its best validation Dice). */
  public record Run(Cell cell, double area, OptionalInt convergenceStep, int bestStep, double bestValidationDice,
      int stepsRun, boolean stoppedEarly) {

    public static Run of(CellResult r, int maxSteps) {
      var f = r.finetune();
      return new Run(r.cell(), LearningCurves.area(f.curve(), maxSteps), LearningCurves.convergenceStep(f.curve()),
          f.bestStep(), f.bestValidationDice(), f.stepsRun(), f.stoppedEarly());
    }

    public double convergence() {
      return convergenceStep.isPresent() ? convergenceStep.getAsInt() : Double.NaN;
    }
  }

  /**
   * One method over all its runs.
   *
   * @param speedupVsRandom median over runs with a random-init twin (same budget and seed) of the
   *     twin's convergence step divided by this run's; NaN without twins
   */
  public record Method(String method, int runs, Summary area, Summary convergenceStep, double medianConvergenceStep,
      double speedupVsRandom) {}
}
