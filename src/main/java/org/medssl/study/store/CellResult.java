package org.medssl.study.store;

import org.medssl.study.plan.Cell;

import java.util.List;
import java.util.OptionalDouble;
import org.medssl.seg.FineTuneResult;

/**
 * What one finished cell produced: its fine-tuning (learning curve, best step, time) and the test
 * metrics per subject and class, with what it was made from.
 *
 * @param fingerprint hash of {@code settings}; a rerun reuses the cell only when they agree
 * @param init the pretraining file it started from (relative to the study directory) or {@code random}
 * @param finetune and {@code test}: the chosen run's when the cell tuned its learning rate
 * @param tuning every candidate learning rate's outcome, or {@link LearningRateTuning#NONE}
 * @param threads the intra-op threads it ran with (0: not recorded, cells written before it was);
 *     the noise floor repeats a cell with another count
 */
public record CellResult(Cell cell, String fingerprint, String settings, String init, List<String> trainSubjects,
    FineTuneResult finetune, List<TestMetrics> test, double evaluationSeconds, String medsslVersion, String precision,
    String configSha, String finishedAt, LearningRateTuning tuning, int threads) {

  public CellResult {
    trainSubjects = List.copyOf(trainSubjects);
    test = List.copyOf(test);
    if (tuning == null) {
      throw new IllegalArgumentException("tuning is LearningRateTuning.NONE for a cell that did not tune");
    }
  }

  /** A cell that fine-tuned once, at the configured learning rate. */
  public CellResult(Cell cell, String fingerprint, String settings, String init, List<String> trainSubjects,
      FineTuneResult finetune, List<TestMetrics> test, double evaluationSeconds, String medsslVersion, String precision,
      String configSha, String finishedAt) {
    this(cell, fingerprint, settings, init, trainSubjects, finetune, test, evaluationSeconds, medsslVersion, precision,
        configSha, finishedAt, LearningRateTuning.NONE, 0);
  }

  /** Mean over test subjects and foreground classes of the Dice (the study's headline number). */
  public double meanDice() {
    return meanDice(test);
  }

  public static double meanDice(List<TestMetrics> test) {
    return test.stream().mapToDouble(TestMetrics::dice).average().orElse(Double.NaN);
  }

  /** The learning rate the cell's result was trained with, when it chose one among candidates. */
  public OptionalDouble chosenLearningRate() {
    return tuning.tuned() ? OptionalDouble.of(tuning.chosenLearningRate()) : OptionalDouble.empty();
  }

  /**
   * The mean test Dice of the cell's run at {@code learningRate}, when it tuned and that rate was a
   * candidate: with the configured {@code finetune.learningRate} among the candidates, this is the
   * "same hyper-parameters for every arm" result beside the tuned {@link #meanDice()}.
   */
  public OptionalDouble meanDiceAt(double learningRate) {
    return tuning.meanTestDiceAt(learningRate);
  }
}
