package org.medssl.seg;

import org.medssl.data.Batch;
import org.medssl.nn.SegNet;
import org.medssl.tensor.Optimizer;
import org.medssl.tensor.Precision;
import org.medssl.tensor.Tensor;
import org.medssl.train.MixedPrecision;
import org.medssl.train.Objective;
import org.medssl.train.StepLoss;
import org.medssl.train.TrainingStep;

/**
 * The supervised objective of a U-Net: forward pass in the run's precision, loss in fp32.
 * Fine-tuning and the benchmarks train with it through the same {@link TrainingStep}, so what the
 * benchmarks time is what training does.
 */
public final class SegmentationStep {
  private final SegNet net;
  private final SegLoss loss;

  public SegmentationStep(SegNet net, SegLoss loss) {
    this.net = net;
    this.loss = loss;
  }

  /** On a batch of samples (2D or 3D). */
  public StepLoss compute(Batch batch, MixedPrecision amp) {
    return compute(Tensor.of(batch.images(), batch.imageShape()), Tensor.ofLongs(batch.labels(), batch.labelShape()), amp);
  }

  /** On images {@code (N, C, ...)} and int64 labels {@code (N, ...)} that already are tensors. */
  public StepLoss compute(Tensor images, Tensor labels, MixedPrecision amp) {
    net.train(true);
    Tensor logits = amp.forward(() -> net.forward(images));
    return StepLoss.of(loss.compute(logits, labels));
  }

  /** A training step on batches, with this objective. */
  public TrainingStep<Batch> step(Optimizer optimizer, Precision precision) {
    return new TrainingStep<>(this::compute, optimizer, precision, TrainingStep.AfterStep.NONE);
  }

  /** A training step on prepared tensors {images, labels}: for benchmarks that time the step alone. */
  public TrainingStep<Tensor[]> tensorStep(Optimizer optimizer, Precision precision) {
    Objective<Tensor[]> onTensors = (xy, amp) -> compute(xy[0], xy[1], amp);
    return new TrainingStep<>(onTensors, optimizer, precision, TrainingStep.AfterStep.NONE);
  }
}
