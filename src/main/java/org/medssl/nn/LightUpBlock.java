package org.medssl.nn;

import org.medssl.tensor.Tensor;

/**
 * One level of the decoder-light network: a 2x transposed convolution to the skip's width, the
 * encoder skip added (a sum, not a concatenation, so no block has to absorb twice the channels),
 * then a residual block of two separable convolutions with an identity shortcut.
 */
final class LightUpBlock {
  private final Tensor upWeight;
  private final Tensor upBias;
  private final SeparableConv first;
  private final SeparableConv second;

  /** Weights {@code name.up.*}, {@code name.sep1.*} and {@code name.sep2.*}. */
  LightUpBlock(Layers layers, String name, int in, int out) {
    this.upWeight = layers.transposedConvWeight(name + ".up.w", in, out, 2);
    this.upBias = layers.bias(name + ".up.b", out);
    this.first = new SeparableConv(layers, name + ".sep1", out, out, 1);
    this.second = new SeparableConv(layers, name + ".sep2", out, out, 1);
  }

  /** {@code below} at half the resolution of {@code skip}; the result has the skip's shape. */
  Tensor forward(Tensor below, Tensor skip, boolean training) {
    Tensor h = below.convTranspose(upWeight, upBias, 2).add(skip);
    Tensor r = first.forward(h, training).relu();
    return second.forward(r, training).add(h).relu();
  }
}
