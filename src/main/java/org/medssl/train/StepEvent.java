package org.medssl.train;

import org.medssl.tensor.Optimizer;

/**
 * What a listener learns after each step.
 *
 * @param phase the phase's name
 * @param step the global step just done, from 1
 * @param totalSteps the run's planned steps
 * @param phaseEnd whether this was the phase's last step
 * @param loss the step's loss before its update
 * @param embeddingStd the spread of the step's embeddings (NaN without embeddings)
 * @param learningRate the rate the step was taken with
 * @param seconds the run's training time so far, earlier sessions of a resumed run included
 * @param optimizer the phase's optimiser, whose state a checkpoint saves
 */
public record StepEvent(String phase, int step, int totalSteps, boolean phaseEnd, double loss, double embeddingStd,
    int embeddingDim, double learningRate, double seconds, Optimizer optimizer) {

  public boolean lastStep() {
    return step == totalSteps;
  }
}
