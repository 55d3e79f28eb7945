package org.medssl.tensor;

import java.util.List;

/** Updates parameters from their gradients, with a learning rate the schedule sets each step. */
public interface Optimizer extends AutoCloseable {
  /**
   * The largest peak learning rate with which Adam and AdamW train our networks normally (nnU-Net
   * and our defaults use 1e-4 to 5e-3); a NaN early in a run below it points at the engine.
   */
  double ADAM_SANE_LEARNING_RATE = 0.01;

  /** The same for LARS, whose layer-wise trust ratio keeps updates small at learning rates near 1. */
  double LARS_SANE_LEARNING_RATE = 1.0;

  /**
   * Sets the learning rate of the next steps: each parameter group gets {@code lr} times its
   * {@link Group#lrScale}.
   */
  void setLearningRate(double lr);

  void zeroGrad();

  /** The parameters it updates (data-parallel training averages their gradients across processes). */
  List<Tensor> parameters();

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

  /**
   * AdamW over parameter groups, each trained at {@code lr} times its scale (e.g. a pretrained
   * encoder at a tenth of the head's rate). Empty groups are left out; a parameter without a
   * gradient in a step (one that does not require grad) is not updated, not even decayed.
   */
  static Optimizer adamWGroups(List<Group> groups, double lr, double weightDecay) {
    return TorchOptimizer.adamWGroups(groups, lr, weightDecay);
  }

  /** Parameters that share a learning-rate scale. */
  record Group(List<Tensor> params, double lrScale) {
    public Group {
      params = List.copyOf(params);
      if (!(lrScale >= 0) || Double.isInfinite(lrScale)) {
        throw new IllegalArgumentException("a learning-rate scale must be finite and >= 0, got " + lrScale);
      }
    }
  }
}
