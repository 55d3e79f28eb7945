package org.medssl.ssl;

import java.util.List;

/** What a pretraining did: steps, wall time, the loss curve and any collapse warnings. */
public record PretrainResult(int steps, double seconds, List<LossPoint> curve, List<String> warnings) {
  /** Mean loss over a window of steps of one stage. */
  public record LossPoint(String stage, int step, double loss, double embeddingStd) {}

  public PretrainResult {
    curve = List.copyOf(curve);
    warnings = List.copyOf(warnings);
  }
}
