package org.medssl.ssl;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.medssl.data.ImageSlices;
import org.medssl.data.PrefetchLoader;
import org.medssl.tensor.DivergenceGuard;
import org.medssl.tensor.Schedule;
import org.medssl.tensor.Optimizer;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;

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

  private final PretrainConfig config;

  public Pretrainer(PretrainConfig config) {
    this.config = config;
  }

  public PretrainResult run(PretextMethod method, ImageSlices slices, int h, int w, Listener listener) {
    long start = System.nanoTime();
    List<PretrainResult.LossPoint> curve = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    int done = 0;
    List<Stage> stages = method.stages();
    for (int s = 0; s < stages.size(); s++) {
      Stage stage = stages.get(s);
      int steps = s == stages.size() - 1 ? config.steps() - done : (int) Math.round(config.steps() * stage.stepFraction());
      runStage(method, stage, slices, h, w, done, steps, curve, warnings, listener);
      done += steps;
    }
    return new PretrainResult(done, (System.nanoTime() - start) / 1e9, curve, warnings);
  }

  private void runStage(PretextMethod method, Stage stage, ImageSlices slices, int h, int w, int offset, int steps,
      List<PretrainResult.LossPoint> curve, List<String> warnings, Listener listener) {
    double lossSum = 0;
    double stdSum = 0;
    int count = 0;
    DivergenceGuard guard = new DivergenceGuard("pretraining (stage " + stage.name() + ")");
    try (Optimizer opt = optimizer(stage);
         PrefetchLoader<PretextBatch> loader = new PrefetchLoader<>(
             i -> stage.inputs().make(slices, config.batch(), h, w, new SplittableRandom(org.medssl.data.Seeds.derive(config.seed(), offset + i))),
             steps, 3)) {
      for (int i = 0; i < steps; i++) {
        int global = offset + i + 1;
        opt.setLearningRate(Schedule.warmupCosine(i, steps, Math.min(config.warmupSteps(), steps / 5),
            config.learningRate(), 0.01));
        Measured loss = step(stage, opt, loader.next(), global, guard);
        method.afterStep(global, config.steps());
        lossSum += loss.loss;
        stdSum += loss.std;
        count++;
        listener.onStep(stage.name(), global, config.steps(), loss.loss);
        if (count == LOG_EVERY || i == steps - 1) {
          double std = stdSum / count;
          curve.add(new PretrainResult.LossPoint(stage.name(), global, lossSum / count, std));
          if (Collapse.collapsing(std, loss.dim)) {
            String msg = String.format("representation collapse in stage %s at step %d: embedding std %.4f, healthy is"
                + " about %.4f", stage.name(), global, std, Collapse.healthy(loss.dim));
            warnings.add(msg);
            listener.onWarning(msg);
          }
          lossSum = 0;
          stdSum = 0;
          count = 0;
        }
      }
    }
  }

  private Measured step(Stage stage, Optimizer opt, PretextBatch batch, int global, DivergenceGuard guard) {
    try (StepScope scope = StepScope.open()) {
      Stage.StepLoss out = stage.loss().compute(batch, config.precision());
      double value = out.loss().item();
      guard.check(value, global);
      opt.zeroGrad();
      out.loss().backward();
      opt.step();
      return new Measured(value, out.embeddingStd(), out.embeddingDim());
    }
  }

  /** Loss value, embedding spread and its dimension of one step, read before the scope closes. */
  private record Measured(double loss, double std, int dim) {}

  private Optimizer optimizer(Stage stage) {
    List<Tensor> params = stage.trainable();
    return config.optimizer() == PretrainConfig.OptimizerKind.LARS
        ? new Lars(params, config.learningRate(), 0.9, config.weightDecay(), 0.001)
        : Optimizer.adamW(params, config.learningRate(), config.weightDecay());
  }
}
