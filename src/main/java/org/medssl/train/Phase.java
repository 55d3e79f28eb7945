package org.medssl.train;

import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.medssl.tensor.Optimizer;

/**
 * A part of a run with its own inputs, objective, optimiser and learning-rate schedule (warm-up +
 * cosine over the phase): contrastive pretraining's global then local stage, or fine-tuning's
 * frozen-encoder warm start then all weights.
 *
 * @param name names the phase in logs, curves and divergence messages ("" for a run of one phase)
 * @param inputs draws a batch from a seeded generator; runs on the loader thread, so it must not
 *     touch tensors
 * @param optimizer the phase's optimiser, given the previous phase's (null for the first)
 * @param onStart runs before the phase's first step, also when a resumed run starts inside it or
 *     after it (e.g. freezing or unfreezing weights)
 */
public record Phase<B>(String name, int steps, Inputs<B> inputs, Objective<B> objective, OptimizerChoice optimizer,
    TrainingStep.AfterStep afterStep, Runnable onStart) {

  public Phase {
    if (steps < 0) {
      throw new IllegalArgumentException("a phase cannot have " + steps + " steps");
    }
  }

  /** A phase with a fresh optimiser, no after-step hook and nothing to do at its start. */
  public static <B> Phase<B> of(String name, int steps, Inputs<B> inputs, Objective<B> objective,
      Supplier<Optimizer> optimizer) {
    return new Phase<>(name, steps, inputs, objective, OptimizerChoice.fresh(optimizer), TrainingStep.AfterStep.NONE,
        () -> { });
  }

  public Phase<B> withAfterStep(TrainingStep.AfterStep hook) {
    return new Phase<>(name, steps, inputs, objective, optimizer, hook, onStart);
  }

  public Phase<B> withOnStart(Runnable action) {
    return new Phase<>(name, steps, inputs, objective, optimizer, afterStep, action);
  }

  /** Draws one batch; the generator is seeded from the run's seed and the global step. */
  @FunctionalInterface
  public interface Inputs<B> {
    B sample(RandomGenerator rng);
  }

  /** Which optimiser a phase trains with. */
  @FunctionalInterface
  public interface OptimizerChoice {
    /** @param previous the previous phase's optimiser, or null for the first phase */
    Optimizer open(Optimizer previous);

    /** A new optimiser (the previous one is closed). */
    static OptimizerChoice fresh(Supplier<Optimizer> factory) {
      return previous -> factory.get();
    }

    /** The previous phase's optimiser, moments and all. */
    static OptimizerChoice keep() {
      return previous -> {
        if (previous == null) {
          throw new IllegalStateException("the first phase has no optimiser to keep");
        }
        return previous;
      };
    }
  }
}
