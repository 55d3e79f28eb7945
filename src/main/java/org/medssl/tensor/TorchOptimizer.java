package org.medssl.tensor;

import java.util.List;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.OptimizerParamGroupVector;
import org.bytedeco.pytorch.TensorVector;

/** Adam and AdamW from libtorch. */
final class TorchOptimizer implements Optimizer {
  private final org.bytedeco.pytorch.Optimizer opt;

  private TorchOptimizer(org.bytedeco.pytorch.Optimizer opt) {
    this.opt = opt;
  }

  static Optimizer adam(List<Tensor> params, double lr, double weightDecay) {
    AdamOptions o = new AdamOptions(lr);
    o.weight_decay().put(weightDecay);
    return new TorchOptimizer(new Adam(vector(params), o));
  }

  /** AdamW: decoupled weight decay (Loshchilov and Hutter). */
  static Optimizer adamW(List<Tensor> params, double lr, double weightDecay) {
    AdamWOptions o = new AdamWOptions(lr);
    o.weight_decay().put(weightDecay);
    return new TorchOptimizer(new AdamW(vector(params), o));
  }

  private static TensorVector vector(List<Tensor> params) {
    Engine.ensureLoaded();
    if (params.isEmpty()) {
      throw new IllegalArgumentException("an optimiser needs at least one parameter");
    }
    return new TensorVector(params.stream().map(Tensor::raw).toArray(org.bytedeco.pytorch.Tensor[]::new));
  }

  @Override
  public void setLearningRate(double lr) {
    OptimizerParamGroupVector groups = opt.param_groups();
    for (long i = 0; i < groups.size(); i++) {
      groups.get(i).options().set_lr(lr);
    }
  }

  @Override
  public void zeroGrad() {
    opt.zero_grad(true);
  }

  @Override
  public void step() {
    opt.step();
  }

  @Override
  public void close() {
    opt.close();
  }
}
