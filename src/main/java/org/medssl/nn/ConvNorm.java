package org.medssl.nn;

import org.medssl.tensor.Tensor;

/**
 * A convolution without bias followed by a norm (which would cancel the bias): the unit residual
 * blocks, their projection shortcuts and the ASPP branches are made of. No activation, because a
 * residual block adds its shortcut before the last ReLU.
 */
final class ConvNorm {
  private final Tensor weight;
  private final Norm norm;
  private final int stride;

  /** Weights {@code name.conv<suffix>.w} and {@code name.norm<suffix>.*}. */
  ConvNorm(Layers layers, String name, String suffix, int in, int out, int kernel, int stride) {
    this.weight = layers.convWeight(name + ".conv" + suffix + ".w", out, in, kernel);
    this.norm = layers.norm(name + ".norm" + suffix, out);
    this.stride = stride;
  }

  Tensor forward(Tensor x, boolean training) {
    return norm.forward(x.conv(weight, null, stride), training);
  }
}
