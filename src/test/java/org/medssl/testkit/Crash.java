package org.medssl.testkit;

import org.medssl.seg.FineTuneListener;
import org.medssl.train.StepEvent;

/** Stops a training run the way a crash would, after a given step: for resume tests. */
public final class Crash extends RuntimeException {
  private Crash() {
    super("simulated crash");
  }

  /** A listener (for pretraining and fine-tuning alike) that crashes the run after global step {@code step}. */
  public static FineTuneListener after(int step) {
    return new FineTuneListener() {
      @Override
      public void onStep(StepEvent e) {
        if (e.step() == step) {
          throw new Crash();
        }
      }
    };
  }
}
