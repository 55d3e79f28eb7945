package org.medssl.nn;

import org.medssl.tensor.Tensor;

/**
 * ResNet-50's block: 1x1 down to a quarter of the output width, a 3x3(x3) there (strided, as in
 * torchvision's "ResNet v1.5", which keeps more information than striding the 1x1), 1x1 back up.
 * The inner width is at least 1 so that very narrow CPU configurations still build.
 */
final class BottleneckBlock implements ResidualBlock {
  static final int EXPANSION = 4;
  private final ConvNorm reduce;
  private final ConvNorm spatial;
  private final ConvNorm expand;
  private final Shortcut shortcut;

  BottleneckBlock(Layers layers, String name, int in, int out, int stride) {
    int inner = innerWidth(out);
    this.reduce = new ConvNorm(layers, name, "1", in, inner, 1, 1);
    this.spatial = new ConvNorm(layers, name, "2", inner, inner, 3, stride);
    this.expand = new ConvNorm(layers, name, "3", inner, out, 1, 1);
    this.shortcut = Shortcut.of(layers, name, in, out, stride);
  }

  static int innerWidth(int out) {
    return Math.max(1, out / EXPANSION);
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    Tensor h = reduce.forward(x, training).relu();
    h = spatial.forward(h, training).relu();
    return expand.forward(h, training).add(shortcut.forward(x, training)).relu();
  }
}
