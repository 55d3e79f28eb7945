package org.medssl.train;

import java.util.function.DoubleConsumer;
import org.medssl.tensor.Distributed;
import org.medssl.tensor.Optimizer;
import org.medssl.tensor.Precision;
import org.medssl.tensor.StepScope;

/**
 * One optimisation step: the objective's passes and loss, backward, optimiser update, then the
 * after-step hook (the momentum methods' EMA), all inside one native memory scope. The loop and
 * the benchmarks run this same step, so what the benchmarks time is what training does.
 */
public final class TrainingStep<B> {
  /** Accepts every loss: for benchmarks, which run fixed data and need no divergence check. */
  public static final DoubleConsumer ANY_LOSS = loss -> { };

  /** Called after every optimiser step with the global step and the run's total. */
  @FunctionalInterface
  public interface AfterStep {
    void after(int step, int totalSteps);

    AfterStep NONE = (step, total) -> { };
  }

  /** A step's loss before the update, and the embeddings' spread (NaN without embeddings) and dimension. */
  public record Result(double loss, double embeddingStd, int embeddingDim) {}

  private final Objective<B> objective;
  private final Optimizer optimizer;
  private final MixedPrecision amp;
  private final AfterStep afterStep;
  private final Distributed group;

  public TrainingStep(Objective<B> objective, Optimizer optimizer, Precision precision, AfterStep afterStep) {
    this(objective, optimizer, new MixedPrecision(precision), afterStep, null);
  }

  private TrainingStep(Objective<B> objective, Optimizer optimizer, MixedPrecision amp, AfterStep afterStep,
      Distributed group) {
    this.objective = objective;
    this.optimizer = optimizer;
    this.amp = amp;
    this.afterStep = afterStep;
    this.group = group;
  }

  /** The same step, its gradients averaged over {@code g}'s processes before each update (null: alone). */
  public TrainingStep<B> inGroup(Distributed g) {
    return new TrainingStep<>(objective, optimizer, amp, afterStep, g);
  }

  /** Trains on one batch without a divergence check, as step 0: for benchmarks, which run fixed data. */
  public Result train(B batch) {
    return train(batch, 0, 0, ANY_LOSS);
  }

  /**
   * Trains on one batch as global step {@code step} of {@code totalSteps}. {@code checkLoss} sees
   * the loss before any gradient is applied and stops a diverged run by throwing.
   */
  public Result train(B batch, int step, int totalSteps, DoubleConsumer checkLoss) {
    Result result;
    try (StepScope scope = StepScope.open()) {
      StepLoss out = objective.compute(batch, amp);
      double value = out.loss().item();
      checkLoss.accept(value);
      optimizer.zeroGrad();
      out.loss().backward();
      if (group != null) {
        group.averageGradients(optimizer.parameters());
      }
      optimizer.step();
      result = new Result(value, out.embeddingStd(), out.embeddingDim());
    }
    afterStep.after(step, totalSteps);
    return result;
  }
}
