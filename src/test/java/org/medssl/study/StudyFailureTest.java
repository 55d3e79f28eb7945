package org.medssl.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.data.phantom.PhantomDataset;
import org.medssl.tensor.Engine;
import org.medssl.testkit.CliRun;

/**
 * A pretraining that explodes (learning rate 1e6) fails its cells with a clear status in the
 * results, while the study finishes the other cells; a rerun does not repeat the failure unless
 * the engine configuration changed or {@code --retry-failed} asks; a study where every cell
 * failed is an error.
 */
class StudyFailureTest {
  @TempDir
  Path dir;

  static final String CONFIG = """
      name: diverging
      dataset: {path: ph}
      pretraining: {steps: 4, batch: 2}
      inits:
        - random
        - {name: exploding, method: denoise, learningRate: 1000000}
      labeled: [1]
      seeds: [0, 1]
      reference: false
      finetune: {steps: 2, batch: 2, channels: [4, 8], validation: 1, validateEvery: 2, patience: 2}
      """;

  @Test
  void aDivergingRunFailsItsCellsAndTheStudyGoesOn() throws Exception {
    PhantomDataset.write(dir.resolve("ph"), 5, 0, 3);
    Files.writeString(dir.resolve("d.yaml"), CONFIG);
    Path out = dir.resolve("out");
    String log = StudyEndToEndTest.run("study", "--config", dir.resolve("d.yaml").toString(), "--out", out.toString(),
        "--precision", "fp32");

    assertTrue(log.contains("cell 2/4 exploding-n1-s0 FAILED: pretraining exploding failed: pretraining (stage"
        + " denoise) diverged at step 2"), log);
    assertTrue(log.contains("2 cells run, 2 failed"), log);
    assertTrue(Files.isRegularFile(out.resolve("cells/random-n1-s1.json")));
    assertTrue(Files.isRegularFile(out.resolve("cells/exploding-n1-s1.failed.json")));
    // the pretraining's divergence is recorded too, so other workers and later runs do not repeat it
    assertTrue(Files.readString(out.resolve("pretrained/exploding.failed.json")).contains("diverged at step 2"));
    List<String> failures = Files.readAllLines(out.resolve("failures.csv"));
    assertEquals(3, failures.size(), String.join("\n", failures));
    assertTrue(failures.get(1).startsWith("exploding,1,0,failed,"), failures.get(1));
    assertTrue(Files.readString(out.resolve("report.html")).contains("<h2>Failed runs</h2>"));
    List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
    assertTrue(summary.get(0).startsWith("method,labeled,seeds,n,failed,"), summary.get(0));
    assertTrue(summary.get(1).startsWith("random,1,0 1,2,0,"), summary.get(1));

    String rerun = StudyEndToEndTest.run("study", "--config", dir.resolve("d.yaml").toString(), "--out",
        out.toString(), "--precision", "fp32");
    assertTrue(rerun.contains("skipping failed cell exploding-n1-s0"), rerun);
    assertTrue(rerun.contains("0 cells run, 0 failed, 4 skipped"), rerun);

    // A failure recorded on another engine configuration may have been the engine's: it is retried.
    Path record = out.resolve("cells/exploding-n1-s0.failed.json");
    String json = Files.readString(record);
    String engine = Engine.config().name();
    assertTrue(json.contains("\"engine\" : \"" + engine + "\""), json);
    Files.writeString(record, json.replace("\"engine\" : \"" + engine + "\"", "\"engine\" : \"other\""));
    String changed = StudyEndToEndTest.run("study", "--config", dir.resolve("d.yaml").toString(), "--out",
        out.toString(), "--precision", "fp32");
    assertTrue(changed.contains("retrying failed cell exploding-n1-s0: it failed on engine other in fp32, this run"
        + " uses engine " + engine + " in fp32"), changed);
    assertTrue(changed.contains("skipping failed cell exploding-n1-s1"), changed);
    assertTrue(changed.contains("skipping failed pretraining exploding (pretraining (stage denoise) diverged at step"
        + " 2"), "the retried cell does not pretrain again under the same conditions: " + changed);

    String forced = StudyEndToEndTest.run("study", "--config", dir.resolve("d.yaml").toString(), "--out",
        out.toString(), "--precision", "fp32", "--retry-failed");
    assertTrue(forced.contains("retrying failed cell exploding-n1-s1 (--retry-failed)"), forced);
    assertTrue(forced.contains("retrying failed pretraining exploding (--retry-failed)"), forced);
  }

  @Test
  void aStudyWhoseEveryCellFailedExitsWithOneLineAfterWritingItsReport() throws Exception {
    PhantomDataset.write(dir.resolve("ph"), 5, 0, 3);
    Files.writeString(dir.resolve("d.yaml"), CONFIG.replace("  - random\n", ""));
    Path out = dir.resolve("out");
    CliRun run = CliRun.of("study", "--config", dir.resolve("d.yaml").toString(), "--out", out.toString(),
        "--precision", "fp32");
    assertEquals(2, run.code(), run.out() + run.err());
    List<String> err = run.err().lines().filter(l -> l.startsWith("medssl:")).toList();
    assertEquals(1, err.size(), run.err());
    assertTrue(err.get(0).startsWith("medssl: error: 0 of 2 cells finished; all diverged (first: exploding-n1-s0:"
        + " pretraining exploding failed:"), err.get(0));
    assertTrue(err.get(0).contains("run ./medssl doctor"), err.get(0));
    assertTrue(Files.readString(out.resolve("report.html")).contains("<p class=\"warn\"><b>Warning:</b> 0 of 2 cells"
        + " finished; all diverged"));
  }
}
