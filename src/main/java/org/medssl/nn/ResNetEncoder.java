package org.medssl.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.Tensor;

/**
 * A ResNet-18 or ResNet-50 contracting path, 2D or 3D, whose widths are the backbone's stage
 * channels (so {@code 8,16,32,64,128} fits a CPU and {@code 64,256,512,1024,2048} is the
 * published ResNet-50).
 *
 * <p>Stage 0 is a stem at full resolution, one 3x3(x3) convolution, norm and ReLU, instead of
 * torchvision's 7x7 stride-2 convolution and max-pooling: our CPU patches are small (a 4x
 * reduction before the first block would leave little to learn from), and U-Net style decoders
 * need a full-resolution skip. Every later stage is a residual stage whose first block halves the
 * resolution, so the encoder reports the same stages and downsampling as the U-Net encoder and
 * any decoder fits it. Weights: {@code prefix + "stage0.*"} and {@code prefix + "stageK.blockJ.*"}.
 */
final class ResNetEncoder implements Encoder {
  private final ConvNorm stem;
  private final List<List<ResidualBlock>> stages = new ArrayList<>();
  private final int[] channels;

  ResNetEncoder(ParamStore store, String prefix, Backbone backbone, int inChannels, RandomGenerator rng) {
    Layers layers = Layers.of(store, backbone, rng);
    ResNetLayout layout = ResNetLayout.of(backbone.encoder());
    this.channels = backbone.channels();
    this.stem = new ConvNorm(layers, prefix + "stage0", "", inChannels, channels[0], 3, 1);
    for (int k = 1; k < channels.length; k++) {
      stages.add(stage(layers, layout, prefix + "stage" + k, k));
    }
  }

  private List<ResidualBlock> stage(Layers layers, ResNetLayout layout, String name, int k) {
    List<ResidualBlock> blocks = new ArrayList<>();
    for (int j = 0; j < layout.blocks(k); j++) {
      int in = j == 0 ? channels[k - 1] : channels[k];
      int stride = j == 0 ? 2 : 1;
      blocks.add(layout.block(layers, name + ".block" + j, in, channels[k], stride));
    }
    return blocks;
  }

  @Override
  public List<Tensor> forward(Tensor x, boolean training) {
    List<Tensor> features = new ArrayList<>();
    Tensor h = stem.forward(x, training).relu();
    features.add(h);
    for (int k = 1; k < channels.length; k++) {
      h = stage(k, h, training);
      features.add(h);
    }
    return features;
  }

  /**
   * Residual stage {@code k} (1 and on) on its input: torchvision's {@code layerK} for k >= 2, whose
   * first block halves the resolution as ours does (see the class comment for stage 1).
   */
  Tensor stage(int k, Tensor h, boolean training) {
    for (ResidualBlock block : stages.get(k - 1)) {
      h = block.forward(h, training);
    }
    return h;
  }

  @Override
  public int[] stageChannels() {
    return channels.clone();
  }
}
