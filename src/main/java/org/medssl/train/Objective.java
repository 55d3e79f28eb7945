package org.medssl.train;

/**
 * What one training step computes on a batch: the network passes (through {@code amp}) and the
 * loss. Pretext methods and supervised segmentation are objectives; the loop around them is the
 * {@link Trainer}'s.
 */
@FunctionalInterface
public interface Objective<B> {
  StepLoss compute(B batch, MixedPrecision amp);
}
