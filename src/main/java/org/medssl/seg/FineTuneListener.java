package org.medssl.seg;

import org.medssl.train.TrainingListener;

/** A training listener that also hears fine-tuning's validations and its end; all default to nothing. */
public interface FineTuneListener extends TrainingListener {
  default void onValidation(int step, double meanDice, boolean improved) {}

  default void onEnd(FineTuneResult result) {}

  FineTuneListener NONE = new FineTuneListener() {};
}
