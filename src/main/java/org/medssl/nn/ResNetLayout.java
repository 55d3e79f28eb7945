package org.medssl.nn;

import java.util.List;

/** Block type and blocks per residual stage of the ResNet families (He et al. 2016, table 1). */
enum ResNetLayout {
  RESNET18(List.of(2, 2, 2, 2)) {
    @Override
    ResidualBlock block(Layers layers, String name, int in, int out, int stride) {
      return new BasicBlock(layers, name, in, out, stride);
    }
  },
  RESNET50(List.of(3, 4, 6, 3)) {
    @Override
    ResidualBlock block(Layers layers, String name, int in, int out, int stride) {
      return new BottleneckBlock(layers, name, in, out, stride);
    }
  };

  private final List<Integer> blocksPerStage;

  ResNetLayout(List<Integer> blocksPerStage) {
    this.blocksPerStage = blocksPerStage;
  }

  abstract ResidualBlock block(Layers layers, String name, int in, int out, int stride);

  /**
   * Blocks of residual stage {@code stage} (1 = the first after the stem). Encoders with more
   * stages than the layout repeat its last count; shorter ones use its first stages.
   */
  int blocks(int stage) {
    return blocksPerStage.get(Math.min(stage, blocksPerStage.size()) - 1);
  }

  static ResNetLayout of(EncoderKind kind) {
    return switch (kind) {
      case RESNET18 -> RESNET18;
      case RESNET50 -> RESNET50;
      case UNET -> throw new IllegalArgumentException("the U-Net encoder is not a ResNet");
    };
  }
}
