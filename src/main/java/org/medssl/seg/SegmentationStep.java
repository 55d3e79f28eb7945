package org.medssl.seg;

import java.util.function.DoubleConsumer;
import org.medssl.data.Batch;
import org.medssl.nn.SegNet;
import org.medssl.tensor.Autocast;
import org.medssl.tensor.Optimizer;
import org.medssl.tensor.Precision;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;

/**
 * One supervised training step of a U-Net: forward pass under the chosen precision, loss in
 * fp32, backward, optimiser update. Fine-tuning and the benchmarks run this same step, so what
 * the benchmarks time is what training does.
 */
public final class SegmentationStep {
  private final SegNet net;
  private final Optimizer optimizer;
  private final SegLoss loss;
  private final Precision precision;

  /** Accepts every loss: for benchmarks, which run fixed data and need no divergence check. */
  public static final DoubleConsumer ANY_LOSS = loss -> { };

  public SegmentationStep(SegNet net, Optimizer optimizer, SegLoss loss, Precision precision) {
    this.net = net;
    this.optimizer = optimizer;
    this.loss = loss;
    this.precision = precision;
  }

  /**
   * Trains on a batch (2D or 3D); returns the loss before the update. {@code checkLoss} sees
   * the loss before any gradient is applied and stops a diverged run by throwing.
   */
  public double train(Batch batch, DoubleConsumer checkLoss) {
    try (StepScope s = StepScope.open()) {
      return train(Tensor.of(batch.images(), batch.imageShape()), Tensor.ofLongs(batch.labels(), batch.labelShape()),
          checkLoss);
    }
  }

  /**
   * Trains on images {@code (N, C, ...)} and int64 labels {@code (N, ...)} that already are
   * tensors (2D or 3D). Everything the step creates is freed when it returns.
   */
  public double train(Tensor images, Tensor labels, DoubleConsumer checkLoss) {
    net.train(true);
    try (StepScope s = StepScope.open()) {
      Tensor logits;
      try (Autocast a = Autocast.of(precision)) {
        logits = net.forward(images);
      }
      Tensor value = loss.compute(logits, labels);
      double result = value.item();
      checkLoss.accept(result);
      optimizer.zeroGrad();
      value.backward();
      optimizer.step();
      return result;
    }
  }
}
