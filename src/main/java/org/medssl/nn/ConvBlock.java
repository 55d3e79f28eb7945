package org.medssl.nn;

import java.util.random.RandomGenerator;
import org.medssl.tensor.Init;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.Tensor;

/** Two 3x3(x3) convolutions, each followed by normalisation and leaky ReLU, as in nnU-Net. */
final class ConvBlock {
  private static final double SLOPE = 0.01;
  private final Tensor w1;
  private final Tensor w2;
  private final Norm n1;
  private final Norm n2;

  ConvBlock(ParamStore store, String name, Dims dims, int in, int out, NormKind norm, RandomGenerator rng) {
    // Convolutions carry no bias: the normalisation right after would cancel it.
    this.w1 = store.param(name + ".conv1.w", Init.KAIMING_NORMAL, rng, kernel(out, in, dims));
    this.n1 = new Norm(store, name + ".norm1", norm, out, rng);
    this.w2 = store.param(name + ".conv2.w", Init.KAIMING_NORMAL, rng, kernel(out, out, dims));
    this.n2 = new Norm(store, name + ".norm2", norm, out, rng);
  }

  Tensor forward(Tensor x, boolean training) {
    Tensor h = n1.forward(x.conv(w1, null, 1), training).leakyRelu(SLOPE);
    return n2.forward(h.conv(w2, null, 1), training).leakyRelu(SLOPE);
  }

  static long[] kernel(int out, int in, Dims dims) {
    return dims == Dims.TWO ? new long[] {out, in, 3, 3} : new long[] {out, in, 3, 3, 3};
  }
}
