package org.medssl.seg;

import java.util.List;

/**
 * What a fine-tuning run did: steps run, the best validation Dice and its step (whose weights the
 * network holds at the end), the learning curve and the wall time.
 */
public record FineTuneResult(int stepsRun, int bestStep, double bestValidationDice, List<CurvePoint> curve,
    double seconds, boolean stoppedEarly) {

  /** One validation point of the learning curve. */
  public record CurvePoint(int step, double trainLoss, double validationDice) {}

  public FineTuneResult {
    curve = List.copyOf(curve);
  }
}
