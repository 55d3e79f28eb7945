package org.medssl.nn;

import java.util.random.RandomGenerator;
import org.medssl.tensor.Init;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.Tensor;

/**
 * Linear - BatchNorm - ReLU - Linear: the projector/predictor of BYOL and the SimCLR-style head of
 * the global contrastive loss (Grill et al. 2020; Chen et al. 2020). Batch statistics are always
 * used: heads only exist during pretraining.
 */
public final class MlpHead {
  private final Tensor w1;
  private final Tensor b1;
  private final Tensor bnW;
  private final Tensor bnB;
  private final Tensor bnMean;
  private final Tensor bnVar;
  private final Tensor w2;
  private final Tensor b2;

  public MlpHead(ParamStore store, String name, int in, int hidden, int out, RandomGenerator rng) {
    w1 = store.param(name + ".fc1.w", Init.KAIMING_NORMAL, rng, hidden, in);
    b1 = store.param(name + ".fc1.b", Init.ZEROS, rng, hidden);
    bnW = store.param(name + ".bn.w", Init.ONES, rng, hidden);
    bnB = store.param(name + ".bn.b", Init.ZEROS, rng, hidden);
    bnMean = store.buffer(name + ".bn.running_mean", Init.ZEROS, hidden);
    bnVar = store.buffer(name + ".bn.running_var", Init.ONES, hidden);
    w2 = store.param(name + ".fc2.w", Init.KAIMING_NORMAL, rng, out, hidden);
    b2 = store.param(name + ".fc2.b", Init.ZEROS, rng, out);
  }

  /** {@code (N, in)} to {@code (N, out)}. */
  public Tensor forward(Tensor x) {
    Tensor h = x.linear(w1, b1).batchNorm(bnW, bnB, bnMean, bnVar, true).relu();
    return h.linear(w2, b2);
  }
}
