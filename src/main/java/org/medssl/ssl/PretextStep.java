package org.medssl.ssl;

import java.util.function.DoubleConsumer;
import org.medssl.tensor.Optimizer;
import org.medssl.tensor.Precision;
import org.medssl.tensor.StepScope;

/**
 * One optimisation step of a pretext stage: the stage's forward pass and loss under the chosen
 * precision, backward, optimiser update, then the method's after-step hook (PGL's and BYOL's EMA).
 * The pretraining loop and the benchmark run this same step, so what the benchmark times is what
 * pretraining does.
 */
public final class PretextStep {
  private final PretextMethod method;
  private final Stage stage;
  private final Optimizer optimizer;
  private final Precision precision;

  /** A step's loss, and the embeddings' spread (NaN without embeddings) and dimension. */
  public record Result(double loss, double embeddingStd, int embeddingDim) {}

  public PretextStep(PretextMethod method, Stage stage, Optimizer optimizer, Precision precision) {
    this.method = method;
    this.stage = stage;
    this.optimizer = optimizer;
    this.precision = precision;
  }

  /**
   * Trains on one batch as global step {@code step} of {@code totalSteps}. {@code checkLoss} sees
   * the loss before any gradient is applied and stops a diverged run by throwing.
   */
  public Result train(PretextBatch batch, int step, int totalSteps, DoubleConsumer checkLoss) {
    Result result;
    try (StepScope scope = StepScope.open()) {
      Stage.StepLoss out = stage.loss().compute(batch, precision);
      double value = out.loss().item();
      checkLoss.accept(value);
      optimizer.zeroGrad();
      out.loss().backward();
      optimizer.step();
      result = new Result(value, out.embeddingStd(), out.embeddingDim());
    }
    method.afterStep(step, totalSteps);
    return result;
  }
}
