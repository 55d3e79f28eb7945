package org.medssl.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.medssl.data.Batch;
import org.medssl.data.PrefetchLoader;
import org.medssl.nn.SegNet;
import org.medssl.seg.SegmentationStep;
import org.medssl.train.TrainingStep;
import org.medssl.tensor.Optimizer;
import org.medssl.tensor.Precision;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;

/**
 * Does the background loader hide data preparation? The same fine-tuning step timed on batches
 * from the real pipeline (sampling, augmentation, prefetch thread) and on tensors built
 * beforehand. Blocks of the two alternate so that load from elsewhere hits both alike.
 *
 * @param batchMs time to prepare one batch alone (what the loader thread must hide)
 * @param overheadPercent how much slower the median step is with the real loader
 */
public record LoaderOverlap(String config, String precision, Stats batchMs, Stats prebuiltMs, Stats loaderMs,
    double overheadPercent) {
  private static final int BLOCKS = 2;
  private static final int PREBUILT_BATCHES = 4;

  public static LoaderOverlap measure(NetworkConfig config, Precision precision, int warmup, int steps) {
    PhantomSlices slices = new PhantomSlices(config);
    int[] next = {0};
    Stats batchMs = Stats.of(Timing.millis(warmup, steps, () -> slices.batch(next[0]++)));
    int perBlock = Math.max(1, steps / BLOCKS);
    List<Double> prebuilt = new ArrayList<>();
    List<Double> loaded = new ArrayList<>();
    try (SegNet net = new SegNet(config.unet(), new SplittableRandom(0));
         Optimizer opt = config.optimizer(net.weights().parameters());
         StepScope data = StepScope.open()) {
      SegmentationStep objective = new SegmentationStep(net, config.loss());
      TrainingStep<Tensor[]> onTensors = objective.tensorStep(opt, precision);
      TrainingStep<Batch> step = objective.step(opt, precision);
      List<Tensor[]> tensors = prebuild(slices);
      for (int block = 0; block < BLOCKS; block++) {
        int[] i = {0};
        prebuilt.addAll(Timing.millis(warmup, perBlock, () -> {
          Tensor[] xy = tensors.get(i[0]++ % tensors.size());
          onTensors.train(xy);
        }));
        try (PrefetchLoader<Batch> loader = slices.loader(warmup + perBlock)) {
          // The time includes waiting for the loader: that is what overlap must hide.
          loaded.addAll(Timing.millis(warmup, perBlock,
              () -> step.train(loader.next())));
        }
      }
    }
    Stats a = Stats.of(prebuilt);
    Stats b = Stats.of(loaded);
    return new LoaderOverlap(config.name(), precision.label(), batchMs, a, b, 100 * (b.median() / a.median() - 1));
  }

  private static List<Tensor[]> prebuild(PhantomSlices slices) {
    List<Tensor[]> out = new ArrayList<>();
    for (int k = 0; k < PREBUILT_BATCHES; k++) {
      Batch b = slices.batch(k);
      out.add(new Tensor[] {Tensor.of(b.images(), b.imageShape()), Tensor.ofLongs(b.labels(), b.labelShape())});
    }
    return out;
  }
}
