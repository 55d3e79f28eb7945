package org.medssl.nn;

import java.util.random.RandomGenerator;
import org.medssl.tensor.Init;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.Tensor;

/**
 * Where the layers of one network come from: they share a weight store, a dimensionality, a norm
 * kind and a random source, so blocks ask this for weights instead of taking all four each.
 */
final class Layers {
  private final ParamStore store;
  private final Dims dims;
  private final NormKind norm;
  private final RandomGenerator rng;

  Layers(ParamStore store, Dims dims, NormKind norm, RandomGenerator rng) {
    this.store = store;
    this.dims = dims;
    this.norm = norm;
    this.rng = rng;
  }

  static Layers of(ParamStore store, Backbone backbone, RandomGenerator rng) {
    return new Layers(store, backbone.dims(), backbone.norm(), rng);
  }

  /** A convolution weight {@code (out, inPerGroup, k, k[, k])}, Kaiming-initialised. */
  Tensor convWeight(String name, int out, int inPerGroup, int kernel) {
    return store.param(name, Init.KAIMING_NORMAL, rng, shape(out, inPerGroup, kernel));
  }

  /** A transposed-convolution weight {@code (in, out, k, k[, k])} (libtorch's layout). */
  Tensor transposedConvWeight(String name, int in, int out, int kernel) {
    return store.param(name, Init.KAIMING_NORMAL, rng, shape(in, out, kernel));
  }

  Tensor bias(String name, int channels) {
    return store.param(name, Init.ZEROS, rng, channels);
  }

  Norm norm(String name, int channels) {
    return new Norm(store, name, norm, channels, rng);
  }

  private long[] shape(int first, int second, int kernel) {
    return dims == Dims.TWO
        ? new long[] {first, second, kernel, kernel}
        : new long[] {first, second, kernel, kernel, kernel};
  }
}
