package org.medssl.study;

import java.util.List;
import org.medssl.seg.FineTuneResult;

/**
 * What one finished cell produced: its fine-tuning (learning curve, best step, time) and the test
 * metrics per subject and class, with what it was made from.
 *
 * @param fingerprint hash of {@code settings}; a rerun reuses the cell only when they agree
 * @param init the pretraining file it started from (relative to the study directory) or {@code random}
 */
public record CellResult(Cell cell, String fingerprint, String settings, String init, List<String> trainSubjects,
    FineTuneResult finetune, List<TestMetrics> test, double evaluationSeconds, String medsslVersion, String precision,
    String configSha, String finishedAt) {

  public CellResult {
    trainSubjects = List.copyOf(trainSubjects);
    test = List.copyOf(test);
  }

  /** Mean over test subjects and foreground classes of the Dice (the study's headline number). */
  public double meanDice() {
    return test.stream().mapToDouble(TestMetrics::dice).average().orElse(Double.NaN);
  }
}
