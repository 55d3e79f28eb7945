package org.medssl.tensor;

import java.util.Arrays;

/**
 * Stops a run whose loss is not finite or has exploded: larger than {@value #FACTOR} times the
 * loss of its first step (the untrained network's, before any update could have gone wrong), with
 * a floor of {@value #FLOOR} for losses that start near zero (BYOL's can, then grow to at most 4).
 * A factor of 100 is far beyond the noise of any loss we train; most explosions end in NaN anyway.
 */
public final class DivergenceGuard {
  static final double FACTOR = 100;
  static final double FLOOR = 0.1;

  private final String what;
  private double limit = Double.NaN;

  /** @param what names the run in the message, e.g. "training" or "pretraining (stage global)" */
  public DivergenceGuard(String what) {
    this.what = what;
  }

  /** Throws {@link TrainingDiverged} when {@code loss} at {@code step} means the run diverged. */
  public void check(double loss, int step) {
    if (!Double.isFinite(loss)) {
      throw new TrainingDiverged(what + " diverged at step " + step + ": loss is " + loss
          + " (try a lower learning rate or --precision fp32)");
    }
    if (Double.isNaN(limit)) {
      limit = FACTOR * Math.max(FLOOR, loss);
    } else if (loss > limit) {
      throw new TrainingDiverged(String.format("%s diverged at step %d: loss %.4g exploded (over %.0fx the first"
          + " step's %.4g; try a lower learning rate)", what, step, loss, FACTOR, limit / FACTOR));
    }
  }
}
