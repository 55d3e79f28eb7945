package org.medssl.nn;

import java.util.random.RandomGenerator;
import org.medssl.tensor.Init;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.Tensor;

/**
 * 1x1 convolutions without pooling, {@code in -> hidden -> ReLU -> out} (or a single 1x1 when
 * {@code hidden} is 0): dense heads that keep the spatial layout (denoising output, local
 * contrastive projection, PGL's projector and predictor).
 */
public final class ConvHead {
  private final Tensor w1;
  private final Tensor b1;
  private final Tensor w2;
  private final Tensor b2;

  public ConvHead(ParamStore store, String name, Dims dims, int in, int hidden, int out, RandomGenerator rng) {
    int first = hidden > 0 ? hidden : out;
    w1 = store.param(name + ".conv1.w", Init.KAIMING_NORMAL, rng, kernel(first, in, dims));
    b1 = store.param(name + ".conv1.b", Init.ZEROS, rng, first);
    w2 = hidden > 0 ? store.param(name + ".conv2.w", Init.KAIMING_NORMAL, rng, kernel(out, hidden, dims)) : null;
    b2 = hidden > 0 ? store.param(name + ".conv2.b", Init.ZEROS, rng, out) : null;
  }

  public Tensor forward(Tensor x) {
    Tensor h = x.conv(w1, b1, 1);
    return w2 == null ? h : h.relu().conv(w2, b2, 1);
  }

  private static long[] kernel(int out, int in, Dims dims) {
    return dims == Dims.TWO ? new long[] {out, in, 1, 1} : new long[] {out, in, 1, 1, 1};
  }
}
