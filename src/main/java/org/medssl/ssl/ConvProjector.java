package org.medssl.ssl;

import java.util.random.RandomGenerator;
import org.medssl.nn.Dims;
import org.medssl.tensor.Init;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.Tensor;

/**
 * Conv1x1 - BatchNorm - ReLU - Conv1x1: PGL's projector and predictor (Xie et al. 2021, sec. 3.3),
 * BYOL's MLP head applied at every voxel, so no global pooling and the feature map keeps its layout
 * for the local loss. Batch statistics are always used: heads only exist during pretraining. The
 * first convolution has no bias (the normalisation cancels it). Weights are named
 * {@code conv1/norm/conv2}, distinct from {@code MlpHead}'s, so loading a BYOL file never
 * mistakes one head for the other.
 */
final class ConvProjector {
  private final Tensor w1;
  private final Tensor normW;
  private final Tensor normB;
  private final Tensor runningMean;
  private final Tensor runningVar;
  private final Tensor w2;
  private final Tensor b2;

  ConvProjector(ParamStore store, String name, Dims dims, int in, int hidden, int out, RandomGenerator rng) {
    w1 = store.param(name + ".conv1.w", Init.KAIMING_NORMAL, rng, kernel(hidden, in, dims));
    normW = store.param(name + ".norm.w", Init.ONES, rng, hidden);
    normB = store.param(name + ".norm.b", Init.ZEROS, rng, hidden);
    runningMean = store.buffer(name + ".norm.running_mean", Init.ZEROS, hidden);
    runningVar = store.buffer(name + ".norm.running_var", Init.ONES, hidden);
    w2 = store.param(name + ".conv2.w", Init.KAIMING_NORMAL, rng, kernel(out, hidden, dims));
    b2 = store.param(name + ".conv2.b", Init.ZEROS, rng, out);
  }

  /** {@code (N, in, spatial...)} to {@code (N, out, spatial...)}. */
  Tensor forward(Tensor x) {
    Tensor h = x.conv(w1, null, 1).batchNorm(normW, normB, runningMean, runningVar, true).relu();
    return h.conv(w2, b2, 1);
  }

  private static long[] kernel(int out, int in, Dims dims) {
    return dims == Dims.TWO ? new long[] {out, in, 1, 1} : new long[] {out, in, 1, 1, 1};
  }
}
