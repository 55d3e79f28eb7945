package org.medssl.nn;

import org.medssl.tensor.Tensor;

/** ResNet-18/34's block: two 3x3(x3) convolutions, the first one strided. */
final class BasicBlock implements ResidualBlock {
  private final ConvNorm first;
  private final ConvNorm second;
  private final Shortcut shortcut;

  BasicBlock(Layers layers, String name, int in, int out, int stride) {
    this.first = new ConvNorm(layers, name, "1", in, out, 3, stride);
    this.second = new ConvNorm(layers, name, "2", out, out, 3, 1);
    this.shortcut = Shortcut.of(layers, name, in, out, stride);
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    Tensor h = first.forward(x, training).relu();
    return second.forward(h, training).add(shortcut.forward(x, training)).relu();
  }
}
