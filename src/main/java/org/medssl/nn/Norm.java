package org.medssl.nn;

import java.util.random.RandomGenerator;
import org.medssl.tensor.Init;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.Tensor;

/** A normalisation layer with affine weight and bias (and running statistics for batch norm). */
final class Norm {
  private final NormKind kind;
  private final int channels;
  private final Tensor weight;
  private final Tensor bias;
  private final Tensor runningMean;
  private final Tensor runningVar;

  Norm(ParamStore store, String name, NormKind kind, int channels, RandomGenerator rng) {
    this.kind = kind;
    this.channels = channels;
    this.weight = store.param(name + ".w", Init.ONES, rng, channels);
    this.bias = store.param(name + ".b", Init.ZEROS, rng, channels);
    boolean batch = kind == NormKind.BATCH;
    this.runningMean = batch ? store.buffer(name + ".running_mean", Init.ZEROS, channels) : null;
    this.runningVar = batch ? store.buffer(name + ".running_var", Init.ONES, channels) : null;
  }

  Tensor forward(Tensor x, boolean training) {
    return switch (kind) {
      case INSTANCE -> x.instanceNorm(weight, bias);
      case BATCH -> x.batchNorm(weight, bias, runningMean, runningVar, training);
      case GROUP -> x.groupNorm(groupsFor(channels), weight, bias);
    };
  }

  /** Up to 8 groups, as many as divide the channel count. */
  private static int groupsFor(int channels) {
    for (int g = Math.min(8, channels); g > 1; g--) {
      if (channels % g == 0) {
        return g;
      }
    }
    return 1;
  }
}
