package org.medssl.bench;

import java.util.SplittableRandom;
import org.medssl.nn.SegNet;
import org.medssl.seg.SegmentationStep;
import org.medssl.train.TrainingStep;
import org.medssl.tensor.Engine;
import org.medssl.tensor.NoGrad;
import org.medssl.tensor.Optimizer;
import org.medssl.tensor.Precision;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;
import org.medssl.train.MixedPrecision;

/**
 * Times the fine-tuning step ({@link SegmentationStep}) and a no-grad forward pass of one
 * configuration on a fixed random batch, after untimed warm-up steps.
 */
public final class NetworkBench {
  private NetworkBench() {}

  public static NetworkResult run(NetworkConfig config, Precision precision, int warmup, int steps) {
    double startRss = Rss.currentMb();
    Rss.resetPeak();
    try (SegNet net = new SegNet(config.unet(), new SplittableRandom(0));
         Optimizer opt = config.optimizer(net.weights().parameters());
         StepScope data = StepScope.open()) {
      SplittableRandom rng = new SplittableRandom(1);
      Tensor images = Tensor.of(randomImages(config, rng), config.imageShape());
      Tensor labels = Tensor.ofLongs(randomLabels(config, rng), config.labelShape());
      TrainingStep<Tensor[]> step = new SegmentationStep(net, config.loss()).tensorStep(opt, precision);
      Tensor[] xy = {images, labels};
      Stats train = Stats.of(Timing.millis(warmup, steps,
          () -> step.train(xy)));
      Stats infer = Stats.of(Timing.millis(Math.min(warmup, 2), steps, () -> forward(net, images, precision)));
      return new NetworkResult(config.name(), precision.label(), config.batchShape(), Engine.threads(),
          net.weights().parameterCount(), train, train.perSecond(config.batch()), infer,
          infer.perSecond(config.batch()), startRss, Rss.peakMb());
    }
  }

  private static void forward(SegNet net, Tensor images, Precision precision) {
    net.train(false);
    try (StepScope s = StepScope.open(); NoGrad g = NoGrad.open()) {
      new MixedPrecision(precision).forward(() -> net.forward(images));
    }
  }

  static float[] randomImages(NetworkConfig config, SplittableRandom rng) {
    float[] out = new float[config.voxelsPerBatch()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) rng.nextGaussian();
    }
    return out;
  }

  static long[] randomLabels(NetworkConfig config, SplittableRandom rng) {
    long[] out = new long[config.voxelsPerBatch()];
    for (int i = 0; i < out.length; i++) {
      out[i] = rng.nextInt(NetworkConfig.CLASSES);
    }
    return out;
  }
}
