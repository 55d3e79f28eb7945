package org.medssl.ssl;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.medssl.data.PretrainImages;
import org.medssl.data.PrefetchLoader;
import org.medssl.data.Seeds;
import org.medssl.tensor.DivergenceGuard;
import org.medssl.tensor.Schedule;
import org.medssl.tensor.Optimizer;

/**
 * The loop every pretext method shares: per stage an optimiser over the stage's parameters,
 * warm-up + cosine learning rate, inputs prepared on a background thread from per-step seeds,
 * one memory scope per step, the method's after-step hook (EMA), divergence and collapse checks.
 */
public final class Pretrainer {
  private static final int LOG_EVERY = 25;

  /** Progress hooks; all default to nothing. */
  public interface Listener {
    default void onStep(String stage, int step, int total, double loss) {}

    default void onWarning(String message) {}
  }

  /** Where a resumed run starts: the state saved after global step {@code step}. */
  public record Resume(int step, double seconds, List<PretrainResult.LossPoint> curve, List<String> warnings,
      byte[] optimizer) {
    public Resume {
      curve = List.copyOf(curve);
      warnings = List.copyOf(warnings);
    }
  }

  /** Takes the run's state at a checkpoint. */
  public interface CheckpointSink {
    /**
     * @param optimizer the running stage's optimiser, or null when a stage just ended (the next
     *     stage starts with a fresh one)
     */
    void save(int step, double seconds, List<PretrainResult.LossPoint> curve, List<String> warnings,
        Optimizer optimizer);
  }

  /**
   * When to checkpoint (at the first loss-curve point at least {@code every} steps after the last
   * checkpoint, and at the end of every stage) and where a resumed run starts ({@code from}, or null).
   */
  public record Checkpointing(int every, CheckpointSink sink, Resume from) {
    public static Checkpointing none() {
      return new Checkpointing(Integer.MAX_VALUE, (step, seconds, curve, warnings, opt) -> { }, null);
    }
  }

  private final PretrainConfig config;

  public Pretrainer(PretrainConfig config) {
    this.config = config;
  }

  public PretrainResult run(PretextMethod method, PretrainImages slices, int[] size, Listener listener) {
    return run(method, slices, size, listener, Checkpointing.none());
  }

  public PretrainResult run(PretextMethod method, PretrainImages slices, int[] size, Listener listener,
      Checkpointing checkpointing) {
    Run run = new Run(method, slices, size, listener, checkpointing);
    int done = 0;
    List<Stage> stages = method.stages();
    for (int s = 0; s < stages.size(); s++) {
      Stage stage = stages.get(s);
      int steps = s == stages.size() - 1 ? config.steps() - done : (int) Math.round(config.steps() * stage.stepFraction());
      run.stage(stage, done, steps);
      done += steps;
    }
    return new PretrainResult(done, run.seconds(), run.curve, run.warnings);
  }

  /** The state of one pretraining as it goes through its stages. */
  private final class Run {
    private final PretextMethod method;
    private final PretrainImages slices;
    private final int[] size;
    private final Listener listener;
    private final Checkpointing checkpointing;
    private final long start = System.nanoTime();
    private final double earlierSeconds;
    private final int resumeStep;
    final List<PretrainResult.LossPoint> curve = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    private int lastCheckpoint;

    Run(PretextMethod method, PretrainImages slices, int[] size, Listener listener, Checkpointing checkpointing) {
      this.method = method;
      this.slices = slices;
      this.size = size.clone();
      this.listener = listener;
      this.checkpointing = checkpointing;
      Resume from = checkpointing.from();
      this.resumeStep = from == null ? 0 : from.step();
      this.earlierSeconds = from == null ? 0 : from.seconds();
      this.lastCheckpoint = resumeStep;
      if (from != null) {
        curve.addAll(from.curve());
        warnings.addAll(from.warnings());
      }
    }

    double seconds() {
      return earlierSeconds + (System.nanoTime() - start) / 1e9;
    }

    /** Runs global steps offset+1 .. offset+steps, or what of them a resumed run has not done. */
    void stage(Stage stage, int offset, int steps) {
      int first = Math.max(0, Math.min(steps, resumeStep - offset));
      if (first == steps) {
        return; // finished before the checkpoint
      }
      double lossSum = 0;
      double stdSum = 0;
      int count = 0;
      DivergenceGuard guard = new DivergenceGuard("pretraining (stage " + stage.name() + ")", config.learningRate(),
          config.saneLearningRate());
      try (Optimizer opt = config.optimizer(stage.trainable());
           PrefetchLoader<PretextBatch> loader = new PrefetchLoader<>(
               i -> stage.inputs().make(slices, config.batch(), size,
                   new SplittableRandom(Seeds.derive(config.seed(), offset + first + i))), steps - first, 3)) {
        if (first > 0) {
          opt.loadState(checkpointing.from().optimizer());
        }
        PretextStep step = new PretextStep(method, stage, opt, config.precision());
        for (int i = first; i < steps; i++) {
          int global = offset + i + 1;
          opt.setLearningRate(Schedule.warmupCosine(i, steps, Math.min(config.warmupSteps(), steps / 5),
              config.learningRate(), 0.01));
          PretextStep.Result loss = step.train(loader.next(), global, config.steps(), v -> guard.check(v, global));
          lossSum += loss.loss();
          stdSum += loss.embeddingStd();
          count++;
          listener.onStep(stage.name(), global, config.steps(), loss.loss());
          if (count == LOG_EVERY || i == steps - 1) {
            record(stage, global, lossSum / count, stdSum / count, loss.embeddingDim());
            lossSum = 0;
            stdSum = 0;
            count = 0;
            if (i == steps - 1) {
              checkpoint(global, null);
            } else if (global - lastCheckpoint >= checkpointing.every()) {
              checkpoint(global, opt);
            }
          }
        }
      }
    }

    private void record(Stage stage, int global, double loss, double std, int dim) {
      curve.add(new PretrainResult.LossPoint(stage.name(), global, loss, std));
      if (Collapse.collapsing(std, dim)) {
        String msg = String.format("representation collapse in stage %s at step %d: embedding std %.4f, healthy is"
            + " about %.4f", stage.name(), global, std, Collapse.healthy(dim));
        warnings.add(msg);
        listener.onWarning(msg);
      }
    }

    private void checkpoint(int global, Optimizer opt) {
      if (global < config.steps()) { // the finished run is saved as a model, not a checkpoint
        checkpointing.sink().save(global, seconds(), List.copyOf(curve), List.copyOf(warnings), opt);
      }
      lastCheckpoint = global;
    }
  }
}
