package org.medssl.train;

/**
 * A link of the trainer's listener chain: progress, loss curves, validation and model selection,
 * checkpoints. Listeners are called in the order given, after every step; any of them may end the
 * run early. Every method defaults to doing nothing.
 */
public interface TrainingListener {
  default void onStep(StepEvent event) {}

  /** Asked after each step's listeners ran: true ends the run there (early stopping). */
  default boolean stopRequested() {
    return false;
  }

  /** A warning worth a line in the log (representation collapse). */
  default void onWarning(String message) {}

  TrainingListener NONE = new TrainingListener() {};
}
