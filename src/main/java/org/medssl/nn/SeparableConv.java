package org.medssl.nn;

import org.medssl.tensor.Tensor;

/**
 * A depthwise 3x3(x3) convolution (optionally dilated) then a pointwise 1x1 one, then a norm: the
 * SepConv of PGL's decoder-light network (after DeepLabv3+). It costs {@code in * 27 + in * out}
 * weights in 3D instead of {@code in * out * 27}, which is what keeps that decoder light.
 */
final class SeparableConv {
  private final Tensor depthwise;
  private final Tensor pointwise;
  private final Norm norm;
  private final int in;
  private final int dilation;

  /** Weights {@code name.depthwise.w}, {@code name.pointwise.w} and {@code name.norm.*}. */
  SeparableConv(Layers layers, String name, int in, int out, int dilation) {
    this.depthwise = layers.convWeight(name + ".depthwise.w", in, 1, 3);
    this.pointwise = layers.convWeight(name + ".pointwise.w", out, in, 1);
    this.norm = layers.norm(name + ".norm", out);
    this.in = in;
    this.dilation = dilation;
  }

  /** Normalised output, same size as the input; the caller applies the activation. */
  Tensor forward(Tensor x, boolean training) {
    Tensor spatial = x.conv(depthwise, null, 1, dilation, in);
    return norm.forward(spatial.conv(pointwise, null, 1), training);
  }
}
