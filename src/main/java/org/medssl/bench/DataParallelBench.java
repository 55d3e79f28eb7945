package org.medssl.bench;

import java.util.SplittableRandom;
import org.medssl.nn.SegNet;
import org.medssl.seg.SegmentationStep;
import org.medssl.tensor.Distributed;
import org.medssl.tensor.Engine;
import org.medssl.tensor.Optimizer;
import org.medssl.tensor.Precision;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;
import org.medssl.train.TrainingStep;

/**
 * One rank's side of the data-parallel benchmark: the fine-tuning step of a configuration on a
 * fixed random batch of this rank's share, its gradients averaged with the other ranks' through
 * the same {@link TrainingStep} training uses, timed after warm-up; also how long the averaging
 * took per step and how many bytes of gradients each step sends.
 */
public final class DataParallelBench {
  private DataParallelBench() {}

  /**
   * @param stepMs the step, averaging included
   * @param allReduceMs the averaging alone (waiting for the slower rank included)
   * @param gradientMb the gradients each rank contributes per step
   */
  public record Rank(String config, int world, int batchPerRank, int threads, Stats stepMs, double allReduceMs,
      double gradientMb) {

    /** Samples per second of the whole group. */
    public double groupSamplesPerSecond() {
      return stepMs.perSecond(batchPerRank * world);
    }

    /** One line a parent process can read back. */
    public String toLine() {
      return String.format(java.util.Locale.ROOT, "data-parallel-rank %s %d %d %d %.4f %.4f %.4f %d %.4f %.6f", config,
          world, batchPerRank, threads, stepMs.median(), stepMs.min(), stepMs.max(), stepMs.n(), allReduceMs,
          gradientMb);
    }

    /** Reads {@link #toLine}. */
    public static Rank parse(String line) {
      String[] f = line.trim().split(" ");
      if (f.length != 11 || !f[0].equals("data-parallel-rank")) {
        throw new IllegalArgumentException("not a data-parallel result: " + line);
      }
      return new Rank(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
          new Stats(Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]), Integer.parseInt(f[8])),
          Double.parseDouble(f[9]), Double.parseDouble(f[10]));
    }
  }

  /** Times {@code config} at {@code batchPerRank} in {@code group}. */
  public static Rank run(NetworkConfig config, int batchPerRank, Precision precision, int warmup, int steps,
      Distributed group) {
    NetworkConfig mine = config.scaled(config.channels(), batchPerRank, config.size());
    try (SegNet net = new SegNet(mine.unet(), new SplittableRandom(0));
         Optimizer opt = mine.optimizer(net.weights().parameters());
         StepScope data = StepScope.open()) {
      group.broadcastFromRankZero(net.weights().parameters());
      SplittableRandom rng = new SplittableRandom(1 + group.rank());
      Tensor images = Tensor.of(NetworkBench.randomImages(mine, rng), mine.imageShape());
      Tensor labels = Tensor.ofLongs(NetworkBench.randomLabels(mine, rng), mine.labelShape());
      TrainingStep<Tensor[]> step = new SegmentationStep(net, mine.loss()).tensorStep(opt, precision).inGroup(group);
      Tensor[] xy = {images, labels};
      for (int i = 0; i < warmup; i++) {
        step.train(xy);
      }
      double before = group.averagingMillis();
      Stats train = Stats.of(Timing.millis(0, steps, () -> step.train(xy)));
      double allReduce = (group.averagingMillis() - before) / steps;
      double mb = net.weights().parameterCount() * 4.0 / 1e6;
      return new Rank(config.name(), group.world(), batchPerRank, Engine.threads(), train, allReduce, mb);
    }
  }
}
