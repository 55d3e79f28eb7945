package org.medssl.study.store;

import java.util.List;
import java.util.OptionalDouble;

/**
 * How a cell chose its learning rate ({@code finetune: tune: learningRate: [...]}): one
 * fine-tuning per candidate, the same budget for every arm, and the run with the best validation
 * Dice became the cell's result. Every candidate's outcome is kept, so a report can show both the
 * tuned result and the result at one fixed rate shared by all arms.
 *
 * @param chosenLearningRate the candidate whose run is the cell's result; NaN when not tuned
 * @param candidates in the order they were listed; empty when not tuned
 */
public record LearningRateTuning(double chosenLearningRate, List<Candidate> candidates) {
  /** A cell that fine-tuned once, at the configured learning rate. */
  public static final LearningRateTuning NONE = new LearningRateTuning(Double.NaN, List.of());

  /** One candidate's run: its best validation Dice (what chose) and its mean foreground test Dice. */
  public record Candidate(double learningRate, double bestValidationDice, double meanTestDice) {}

  public LearningRateTuning {
    candidates = List.copyOf(candidates);
    if (candidates.isEmpty() != Double.isNaN(chosenLearningRate)) {
      throw new IllegalArgumentException("a tuned cell has candidates and a chosen learning rate, an untuned one"
          + " neither");
    }
    if (!candidates.isEmpty() && find(candidates, chosenLearningRate).isEmpty()) {
      throw new IllegalArgumentException("the chosen learning rate " + chosenLearningRate + " is not a candidate");
    }
  }

  /**
   * Chooses among finished runs: the best validation Dice, the earliest listed on a tie (and the
   * first when no run has a validation Dice).
   */
  public static LearningRateTuning choose(List<Candidate> runs) {
    Candidate best = runs.get(0);
    for (Candidate c : runs) {
      if (c.bestValidationDice() > best.bestValidationDice()) {
        best = c;
      }
    }
    return new LearningRateTuning(best.learningRate(), runs);
  }

  public boolean tuned() {
    return !candidates.isEmpty();
  }

  /** The mean test Dice of the run at {@code learningRate}, if it was a candidate. */
  public OptionalDouble meanTestDiceAt(double learningRate) {
    return find(candidates, learningRate);
  }

  private static OptionalDouble find(List<Candidate> candidates, double learningRate) {
    return candidates.stream().filter(c -> Math.abs(c.learningRate() - learningRate) <= 1e-12 * learningRate)
        .mapToDouble(Candidate::meanTestDice).findFirst();
  }
}
