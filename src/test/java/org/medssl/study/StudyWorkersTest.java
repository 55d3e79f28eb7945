package org.medssl.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.data.phantom.PhantomDataset;
import org.medssl.testkit.ChildJvm;

/**
 * {@code study --workers 2}: two worker processes share out the cells and the pretraining through
 * the study's locks, every cell runs exactly once, the pretraining once, and the parent writes the
 * outputs and the noise floor (with another thread count than the workers' one) at the end.
 */
class StudyWorkersTest {
  @TempDir
  Path dir;

  static final String CONFIG = """
      name: workers
      dataset: {path: ph}
      pretraining: {steps: 3, batch: 4}
      inits: [random, denoise]
      labeled: [1, 2]
      seeds: [0, 1, 2]
      finetune: {steps: 4, batch: 2, channels: [4, 8], validation: 1, validateEvery: 2, patience: 2}
      reference: false
      noiseFloor: true
      """;

  @Test
  void twoWorkersRunEveryCellOnceAndTheParentReports() throws Exception {
    PhantomDataset.write(dir.resolve("ph"), 6, 2, 5);
    Path config = dir.resolve("workers.yaml");
    Files.writeString(config, CONFIG);
    Path out = dir.resolve("out");
    Path logFile = dir.resolve("study.log");

    Process study = ChildJvm.medssl(logFile, "study", "--config", config.toString(), "--out", out.toString(),
        "--precision", "fp32", "--threads", "2", "--workers", "2", "--no-pretraining-cache");
    assertTrue(study.waitFor(240, TimeUnit.SECONDS), "study finishes");
    String log = Files.readString(logFile);
    assertEquals(0, study.exitValue(), log);

    assertEquals(2, count(log, Pattern.compile("1 thread\\(s\\), as a worker")), log);
    String engineCheck = Files.readString(out.resolve("workers/engine-check.log"));
    assertTrue(engineCheck.matches("(?s).*signature \\w+-t1.*"), "the workers' engine check ran once first: " + engineCheck);
    List<String> cells = List.of("random-n1-s0", "denoise-n1-s0", "random-n2-s0", "denoise-n2-s0", "random-n1-s1",
        "denoise-n1-s1", "random-n2-s1", "denoise-n2-s1", "random-n1-s2", "denoise-n1-s2", "random-n2-s2",
        "denoise-n2-s2");
    for (String key : cells) {
      assertEquals(1, count(log, Pattern.compile("cell \\d+/12 " + key + ": test Dice")), key + " ran once:\n" + log);
      assertTrue(Files.isRegularFile(out.resolve("cells").resolve(key + ".json")), key);
    }
    assertEquals(1, count(log, Pattern.compile("pretrained denoise: ")), "one pretraining:\n" + log);
    assertTrue(log.contains("noise floor: random-n1-s0 with 2 thread(s)"), log);
    assertTrue(log.contains("12 cells finished, 0 failed (run by the workers)"), log);
    try (var locks = Files.list(out.resolve("locks"))) {
      assertTrue(locks.anyMatch(p -> p.getFileName().toString().equals("study.lock")), "every process joined the study");
    }
    assertEquals(1 + 12 * 3, Files.readAllLines(out.resolve("results.csv")).size());
    assertTrue(Files.isRegularFile(out.resolve("report.html")));
  }

  private static int count(String text, Pattern p) {
    Matcher m = p.matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
