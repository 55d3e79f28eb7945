package org.medssl.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.Tensor;

/**
 * The U-Net contracting path: one {@link ConvBlock} per stage, 2x max-pooling between stages.
 * Weights are named {@code encoder.stageK.*}; the stage channels tell decoders and heads what
 * they receive.
 */
final class PlainEncoder implements Encoder {
  private final List<ConvBlock> stages = new ArrayList<>();
  private final int[] channels;

  /**
   * An encoder whose weights are named {@code prefix + "stageK.*"}; momentum methods keep their
   * online copy under another prefix so that {@code encoder.*} is the one fine-tuning takes.
   */
  PlainEncoder(ParamStore store, String prefix, Dims dims, int inChannels, int[] channels, NormKind norm,
      RandomGenerator rng) {
    this.channels = channels.clone();
    int in = inChannels;
    for (int i = 0; i < channels.length; i++) {
      stages.add(new ConvBlock(store, prefix + "stage" + i, dims, in, channels[i], norm, rng));
      in = channels[i];
    }
  }

  @Override
  public List<Tensor> forward(Tensor x, boolean training) {
    List<Tensor> features = new ArrayList<>();
    Tensor h = x;
    for (int i = 0; i < stages.size(); i++) {
      if (i > 0) {
        h = h.maxPool(2);
      }
      h = stages.get(i).forward(h, training);
      features.add(h);
    }
    return features;
  }

  @Override
  public int[] stageChannels() {
    return channels.clone();
  }

}
