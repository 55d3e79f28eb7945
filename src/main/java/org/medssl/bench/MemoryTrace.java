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

/**
 * Resident memory over a long fine-tuning run with the real loader, sampled at intervals. The
 * baseline is taken after the first tenth of the steps, once allocator pools have grown; growth
 * beyond it would be a leak.
 *
 * @param driftPercent (largest RSS after the baseline - baseline) / baseline
 */
public record MemoryTrace(String config, String precision, int steps, List<Sample> samples, int baselineStep,
    double baselineMb,
    double maxMb, double driftPercent) {
  private static final int SAMPLES = 20;

  public record Sample(int step, double rssMb) {}

  public static MemoryTrace measure(NetworkConfig config, Precision precision, int steps) {
    PhantomSlices slices = new PhantomSlices(config);
    int every = Math.max(1, steps / SAMPLES);
    int baselineStep = Math.max(every, steps / 10);
    List<Sample> samples = new ArrayList<>();
    try (SegNet net = new SegNet(config.unet(), new SplittableRandom(0));
         Optimizer opt = config.optimizer(net.weights().parameters());
         PrefetchLoader<Batch> loader = slices.loader(steps)) {
      TrainingStep<Batch> step = new SegmentationStep(net, config.loss()).step(opt, precision);
      for (int i = 1; i <= steps; i++) {
        step.train(loader.next());
        if (i % every == 0 || i == steps) {
          samples.add(new Sample(i, Rss.currentMb()));
        }
      }
    }
    Sample baseline = samples.stream().filter(s -> s.step() >= baselineStep).findFirst().orElseThrow();
    double max = samples.stream().filter(s -> s.step() >= baselineStep).mapToDouble(Sample::rssMb).max().orElseThrow();
    return new MemoryTrace(config.name(), precision.label(), steps, samples, baseline.step(), baseline.rssMb(), max,
        100 * (max - baseline.rssMb()) / baseline.rssMb());
  }
}
