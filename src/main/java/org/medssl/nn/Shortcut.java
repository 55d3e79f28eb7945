package org.medssl.nn;

import org.medssl.tensor.Tensor;

/**
 * The shortcut of a residual block: the identity when the block keeps size and channels, else a
 * strided 1x1 convolution with a norm (He et al.'s projection shortcut, option B), whose output
 * has the size of the block's strided 3x3 convolution for odd and even inputs alike.
 */
final class Shortcut {
  private final ConvNorm projection;

  private Shortcut(ConvNorm projection) {
    this.projection = projection;
  }

  /** Weights {@code name.shortcut.conv.w} and {@code name.shortcut.norm.*} when it projects. */
  static Shortcut of(Layers layers, String name, int in, int out, int stride) {
    boolean identity = stride == 1 && in == out;
    return new Shortcut(identity ? null : new ConvNorm(layers, name + ".shortcut", "", in, out, 1, stride));
  }

  Tensor forward(Tensor x, boolean training) {
    return projection == null ? x : projection.forward(x, training);
  }
}
