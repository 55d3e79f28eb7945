package org.medssl.study.store;

import org.medssl.study.report.AggregationTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class LearningRateTuningTest {
  private static final List<LearningRateTuning.Candidate> RUNS = List.of(
      new LearningRateTuning.Candidate(0.001, 0.70, 0.65),
      new LearningRateTuning.Candidate(0.002, 0.80, 0.60),
      new LearningRateTuning.Candidate(0.005, 0.80, 0.90));

  @Test
  void theBestValidationDiceChoosesAndTheFirstListedWinsATie() {
    LearningRateTuning t = LearningRateTuning.choose(RUNS);
    assertEquals(0.002, t.chosenLearningRate(), "0.005 ties 0.002 on validation; its better test Dice must not count");
    assertEquals(RUNS, t.candidates());
    assertEquals(OptionalDouble.of(0.65), t.meanTestDiceAt(0.001));
    assertEquals(OptionalDouble.empty(), t.meanTestDiceAt(0.003));
    assertEquals(0.001, LearningRateTuning.choose(List.of(new LearningRateTuning.Candidate(0.001, Double.NaN, 0.5),
        new LearningRateTuning.Candidate(0.002, Double.NaN, 0.6))).chosenLearningRate(), "no validation: the first");
    assertThrows(IllegalArgumentException.class, () -> new LearningRateTuning(0.003, RUNS));
    assertThrows(IllegalArgumentException.class, () -> new LearningRateTuning(Double.NaN, RUNS));
  }

  @Test
  void aCellKeepsEveryCandidateThroughItsFileAndOldFilesReadAsUntuned() {
    CellResult plain = AggregationTest.cell("random", 1, 0, new double[][] {{0.6, 0.6}}, 100);
    ObjectNode plainJson = CellStore.toJson(plain);
    assertFalse(plainJson.has("tuning"), "an untuned cell's file is as before");
    CellResult back = CellStore.fromJson(plainJson);
    assertFalse(back.tuning().tuned());
    assertTrue(back.chosenLearningRate().isEmpty());
    assertTrue(back.meanDiceAt(0.002).isEmpty());

    CellResult tuned = new CellResult(plain.cell(), plain.fingerprint(), plain.settings(), plain.init(),
        plain.trainSubjects(), plain.finetune(), plain.test(), plain.evaluationSeconds(), plain.medsslVersion(),
        plain.precision(), plain.configSha(), plain.finishedAt(), LearningRateTuning.choose(RUNS), 2);
    CellResult read = CellStore.fromJson(CellStore.toJson(tuned));
    assertEquals(tuned, read);
    assertEquals(OptionalDouble.of(0.002), read.chosenLearningRate());
    assertEquals(OptionalDouble.of(0.90), read.meanDiceAt(0.005));
    assertEquals(0.6, read.meanDice(), 1e-12, "the headline stays the cell's own test metrics");
  }
}
