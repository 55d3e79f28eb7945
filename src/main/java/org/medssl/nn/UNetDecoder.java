package org.medssl.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.medssl.tensor.Init;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.Tensor;

/**
 * The U-Net expanding path for any {@link Encoder}: at each level a 2x transposed convolution,
 * concatenation with the skip connection and a {@link ConvBlock}. Weights: {@code decoder.*}.
 */
public final class UNetDecoder implements Decoder {
  private final List<Tensor> upWeights = new ArrayList<>();
  private final List<Tensor> upBiases = new ArrayList<>();
  private final List<ConvBlock> blocks = new ArrayList<>();
  private final int outChannels;

  public UNetDecoder(ParamStore store, Dims dims, int[] stageChannels, NormKind norm, RandomGenerator rng) {
    this.outChannels = stageChannels[0];
    for (int level = stageChannels.length - 2; level >= 0; level--) {
      int below = stageChannels[level + 1];
      int here = stageChannels[level];
      String name = PREFIX + "level" + level;
      long[] upShape = dims == Dims.TWO ? new long[] {below, here, 2, 2} : new long[] {below, here, 2, 2, 2};
      upWeights.add(store.param(name + ".up.w", Init.KAIMING_NORMAL, rng, upShape));
      upBiases.add(store.param(name + ".up.b", Init.ZEROS, rng, here));
      blocks.add(new ConvBlock(store, name + ".block", dims, 2 * here, here, norm, rng));
    }
  }

  /** Decodes encoder features (finest first) to a full-resolution map with stage-0 channels. */
  @Override
  public Tensor forward(List<Tensor> features, boolean training) {
    return forward(features, training, 0);
  }

  /**
   * Decodes only as far as decoder level {@code level} (0: full resolution, as {@link #forward};
   * k: the map at 1/2^k resolution with stage-k channels, from the blocks named {@code level>=k}).
   */
  public Tensor forward(List<Tensor> features, boolean training, int level) {
    if (level < 0 || level > blocks.size() - 1) {
      throw new IllegalArgumentException("decoder level " + level + " outside 0.." + (blocks.size() - 1));
    }
    Tensor h = features.get(features.size() - 1);
    for (int i = 0; i < blocks.size() - level; i++) {
      Tensor skip = features.get(features.size() - 2 - i);
      Tensor up = h.convTranspose(upWeights.get(i), upBiases.get(i), 2);
      h = blocks.get(i).forward(Tensor.cat(List.of(up, skip), 1), training);
    }
    return h;
  }

  @Override
  public int outChannels() {
    return outChannels;
  }
}
