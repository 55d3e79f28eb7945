package org.medssl.tensor;

import java.util.List;

/** Updates parameters from their gradients, with a learning rate the schedule sets each step. */
public interface Optimizer extends AutoCloseable {
  void setLearningRate(double lr);

  void zeroGrad();

  void step();

  /** The optimiser's state (moments, momentum buffers), for a checkpoint; empty before the first step. */
  byte[] saveState();

  /** Restores a state saved by {@link #saveState} from an optimiser of the same kind over the same parameters. */
  void loadState(byte[] state);

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
