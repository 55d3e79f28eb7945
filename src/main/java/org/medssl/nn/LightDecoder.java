package org.medssl.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.Tensor;

/**
 * PGL's decoder-light network (Xie et al., appendix B.1, figure 6): {@link Aspp} on the
 * bottleneck, then one {@link LightUpBlock} per downsampling level, each adding the encoder's
 * skip of that level, up to a full-resolution map with the stage-0 channels. Separable
 * convolutions and summed skips give it fewer weights than a U-Net decoder, so that fine-tuning
 * mostly exercises pretrained ones. Weights: {@code decoder.aspp.*} and {@code decoder.levelK.*}.
 *
 * <p>The ASPP width is a fraction of the bottleneck channels: at the full width its five 1x1
 * mappings from the bottleneck would outweigh the last encoder stage.
 *
 * <p>How light it is: with a 3D ResNet-50 encoder this decoder holds 23-28 % of the network's
 * parameters at the default ASPP width (60 % at the full width), not the paper's 5 %, because the
 * transposed and pointwise convolutions run at the encoder's skip widths; the paper's 2.38 M
 * suggests a decoder at a quarter of those widths with projected skips
 * ({@code src/test/resources/org/medssl/nn/param_counts.py} prints both). Fewer weights are not
 * less time on a CPU: 3D depthwise convolutions are memory-bound, and a full-resolution level
 * costs about as much as a U-Net decoder level or more.
 */
public final class LightDecoder implements Decoder {
  /** ASPP width as a fraction of the bottleneck channels: DeepLabv3+'s 256 of 2048. */
  public static final double DEFAULT_ASPP_FRACTION = 0.125;
  private final Aspp aspp;
  private final List<LightUpBlock> levels = new ArrayList<>();
  private final int outChannels;

  public LightDecoder(ParamStore store, Backbone backbone, RandomGenerator rng) {
    this(store, backbone, DEFAULT_ASPP_FRACTION, rng);
  }

  public LightDecoder(ParamStore store, Backbone backbone, double asppFraction, RandomGenerator rng) {
    Layers layers = Layers.of(store, backbone, rng);
    int[] channels = backbone.channels();
    int width = asppWidth(backbone.embeddingChannels(), asppFraction);
    this.aspp = new Aspp(layers, PREFIX + "aspp", channels[channels.length - 1], width);
    int below = width;
    for (int level = channels.length - 2; level >= 0; level--) {
      levels.add(new LightUpBlock(layers, PREFIX + "level" + level, below, channels[level]));
      below = channels[level];
    }
    this.outChannels = channels[0];
  }

  /** Channels of the ASPP output: {@code fraction} of the bottleneck's, at least 1. */
  public static int asppWidth(int bottleneckChannels, double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("ASPP fraction must be in (0, 1], got " + fraction);
    }
    return Math.max(1, (int) Math.round(bottleneckChannels * fraction));
  }

  @Override
  public Tensor forward(List<Tensor> features, boolean training) {
    int last = features.size() - 1;
    Tensor h = aspp.forward(features.get(last), training);
    for (int i = 0; i < levels.size(); i++) {
      h = levels.get(i).forward(h, features.get(last - 1 - i), training);
    }
    return h;
  }

  @Override
  public int outChannels() {
    return outChannels;
  }
}
