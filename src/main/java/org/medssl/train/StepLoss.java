package org.medssl.train;

import org.medssl.tensor.Tensor;

/**
 * A step's loss (fp32 scalar tensor) and the spread of its normalised embeddings across the batch
 * (NaN for objectives without embeddings), watched for representation collapse.
 */
public record StepLoss(Tensor loss, double embeddingStd, int embeddingDim) {
  public static StepLoss of(Tensor loss) {
    return new StepLoss(loss, Double.NaN, 0);
  }
}
