package org.medssl.ssl;

import java.util.List;
import java.util.random.RandomGenerator;
import org.medssl.data.PretrainImages;
import org.medssl.tensor.Tensor;
import org.medssl.train.Objective;

/**
 * A phase of pretraining with its own trainable parameters, inputs and loss (contrastive
 * pretraining has two: global on the encoder, then local on the decoder with the encoder frozen).
 *
 * @param stepFraction share of the total steps this stage gets
 */
public record Stage(String name, double stepFraction, List<Tensor> trainable, Inputs inputs,
    Objective<PretextBatch> loss) {

  /**
   * Builds a step's inputs from the images; runs on the loader thread, so it must not touch
   * tensors. {@code size} is the network input's spatial size in tensor order ({h, w} or {d, h, w}).
   */
  @FunctionalInterface
  public interface Inputs {
    PretextBatch make(PretrainImages images, int batch, int[] size, RandomGenerator rng);
  }
}
