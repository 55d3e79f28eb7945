package org.medssl.tensor;

/**
 * Stops a run whose loss is not finite or has exploded: larger than {@value #FACTOR} times the
 * loss of its first step (the untrained network's, before any update could have gone wrong), with
 * a floor of {@value #FLOOR} for losses that start near zero (BYOL's can, then grow to at most 4).
 * A factor of 100 is far beyond the noise of any loss we train; most explosions end in NaN anyway.
 *
 * <p>A loss that turns NaN within the first {@value #EARLY_STEPS} steps of a run whose learning
 * rate is in the range that trains normally is rarely the training's fault: the message then points
 * at the engine and {@code ./medssl doctor} before the learning rate (seen on CPUs where oneDNN
 * kernels read uninitialised memory).
 */
public final class DivergenceGuard {
  static final double FACTOR = 100;
  static final double FLOOR = 0.1;
  static final int EARLY_STEPS = 200;

  private final String what;
  private final double learningRate;
  private final double saneLearningRate;
  private double limit = Double.NaN;

  /**
   * @param what names the run in the message, e.g. "training" or "pretraining (stage global)"
   * @param learningRate the run's peak learning rate
   * @param saneLearningRate the largest peak learning rate with which this optimiser trains
   *     normally (e.g. 0.01 for AdamW); NaN says nothing is known
   */
  public DivergenceGuard(String what, double learningRate, double saneLearningRate) {
    this.what = what;
    this.learningRate = learningRate;
    this.saneLearningRate = saneLearningRate;
  }

  /** A guard that knows nothing of the learning rate. */
  public DivergenceGuard(String what) {
    this(what, Double.NaN, Double.NaN);
  }

  /** Throws {@link TrainingDiverged} when {@code loss} at {@code step} means the run diverged. */
  public void check(double loss, int step) {
    if (!Double.isFinite(loss)) {
      throw new TrainingDiverged(what + " diverged at step " + step + ": loss is " + loss + hint(step));
    }
    if (Double.isNaN(limit)) {
      limit = FACTOR * Math.max(FLOOR, loss);
    } else if (loss > limit) {
      throw new TrainingDiverged(String.format("%s diverged at step %d: loss %.4g exploded (over %.0fx the first"
          + " step's %.4g; try a lower learning rate)", what, step, loss, FACTOR, limit / FACTOR));
    }
  }

  private String hint(int step) {
    if (step <= EARLY_STEPS && learningRate <= saneLearningRate) {
      return String.format(" this early and with learning rate %.3g; that is rarely the training's fault: the engine"
          + " (%s) may be computing wrong numbers on this CPU, run ./medssl doctor (otherwise try --precision fp32 or a"
          + " lower learning rate)", learningRate, Engine.config().name());
    }
    return " (try a lower learning rate or --precision fp32)";
  }
}
