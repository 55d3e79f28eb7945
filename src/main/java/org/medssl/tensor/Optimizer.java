package org.medssl.tensor;

import java.util.List;

/** Updates parameters from their gradients, with a learning rate the schedule sets each step. */
public interface Optimizer extends AutoCloseable {
  void setLearningRate(double lr);

  void zeroGrad();

  void step();

  @Override
  void close();

  static Optimizer adam(List<Tensor> params, double lr, double weightDecay) {
    return TorchOptimizer.adam(params, lr, weightDecay);
  }

  /** AdamW: decoupled weight decay (Loshchilov and Hutter). */
  static Optimizer adamW(List<Tensor> params, double lr, double weightDecay) {
    return TorchOptimizer.adamW(params, lr, weightDecay);
  }
}
