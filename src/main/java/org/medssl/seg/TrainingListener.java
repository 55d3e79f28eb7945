package org.medssl.seg;

/** Hooks into the fine-tuning loop (progress bars, logs); every method defaults to doing nothing. */
public interface TrainingListener {
  default void onStep(int step, int total, double loss, double learningRate) {}

  default void onValidation(int step, double meanDice, boolean improved) {}

  default void onEnd(FineTuneResult result) {}

  TrainingListener NONE = new TrainingListener() {};
}
