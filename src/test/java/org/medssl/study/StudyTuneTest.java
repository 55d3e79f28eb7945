package org.medssl.study;

import org.medssl.study.store.CellResult;
import org.medssl.study.store.CellStore;
import org.medssl.study.store.LearningRateTuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.data.phantom.PhantomDataset;

/**
 * A tiny tuned study through the command line: every cell fine-tunes once per candidate learning
 * rate, keeps the best validation Dice's run and records every candidate; the candidate at a rate
 * is the run an untuned study at that rate makes.
 */
class StudyTuneTest {
  @TempDir
  Path dir;

  private static final String CONFIG = """
      name: tuned
      dataset: {path: ph}
      inits: [random]
      labeled: [1]
      seeds: [0]
      reference: false
      finetune: {steps: 4, batch: 2, channels: [4, 8], validation: 1, validateEvery: 2, patience: 2,
                 learningRate: LR, encoderLrScale: 0.5, frozenEncoderSteps: 1TUNE}
      """;

  private CellResult runStudy(String name, String lr, String tune) throws Exception {
    Path yaml = dir.resolve(name + ".yaml");
    Files.writeString(yaml, CONFIG.replace("LR", lr).replace("TUNE", tune));
    String out = StudyEndToEndTest.run("study", "--config", yaml.toString(), "--out", dir.resolve(name).toString(),
        "--precision", "fp32");
    assertTrue(out.contains("report: "), out);
    return CellStore.read(dir.resolve(name).resolve("cells/random-n1-s0.json"));
  }

  @Test
  void eachCellChoosesTheCandidateWithTheBestValidationDiceAndKeepsThemAll() throws Exception {
    PhantomDataset.write(dir.resolve("ph"), 6, 1, 3);
    CellResult tuned = runStudy("tuned", "0.05", ", tune: {learningRate: [0.001, 0.05]}");
    LearningRateTuning t = tuned.tuning();
    assertEquals(2, t.candidates().size());
    assertEquals(0.001, t.candidates().get(0).learningRate());
    LearningRateTuning.Candidate best = t.candidates().stream()
        .max(Comparator.comparingDouble(LearningRateTuning.Candidate::bestValidationDice)).orElseThrow();
    assertEquals(best.learningRate(), tuned.chosenLearningRate().getAsDouble());
    assertEquals(best.bestValidationDice(), tuned.finetune().bestValidationDice());
    assertEquals(best.meanTestDice(), tuned.meanDice(), 1e-12, "the chosen run's test metrics are the cell's");
    assertTrue(tuned.settings().contains("tune.learningRate=[0.001, 0.05]"), tuned.settings());
    assertTrue(Files.readString(dir.resolve("tuned/study.log")).contains("learning rates chosen by validation Dice"
        + " (rate=cells): random {" + best.learningRate() + "=1}"));

    CellResult fixed = runStudy("fixed", "0.05", "");
    assertTrue(fixed.chosenLearningRate().isEmpty());
    assertEquals(fixed.meanDice(), tuned.meanDiceAt(0.05).getAsDouble(), 1e-12,
        "the candidate at the configured rate is the same-hyper-parameters result");
  }
}
