package org.medssl.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.data.phantom.PhantomDataset;
import org.medssl.study.store.CellResult;
import org.medssl.study.store.CellStore;
import org.medssl.testkit.ChildJvm;
import org.medssl.testkit.CliRun;

/**
 * {@code study --shard 0/2} and {@code --shard 1/2}, run at the same time into one directory,
 * finish every cell once between them (the pretraining they share runs once), and the report
 * {@code --report-only} then writes holds the cells a single process computes.
 */
class StudyShardTest {
  @TempDir
  Path dir;

  @Test
  void twoConcurrentShardsMakeTheSingleProcessStudy() throws Exception {
    PhantomDataset.write(dir.resolve("ph"), 5, 1, 4);
    Path config = dir.resolve("shard.yaml");
    Files.writeString(config, """
        name: shard
        dataset: {path: ph}
        inits: [random, {name: byol, method: byol, steps: 4, batch: 2}]
        labeled: [1, 2]
        seeds: [0]
        reference: false
        finetune: {steps: 4, batch: 2, channels: [4, 8], validation: 1, validateEvery: 2, patience: 2}
        """);
    Path single = dir.resolve("single");
    CliRun one = CliRun.of("study", "--config", config.toString(), "--out", single.toString(), "--precision", "fp32",
        "--threads", "1", "--no-pretraining-cache");
    assertEquals(0, one.code(), one.out() + one.err());

    Path shared = dir.resolve("shared");
    Process[] shards = new Process[2];
    for (int i = 0; i < 2; i++) {
      shards[i] = ChildJvm.medssl(dir.resolve("shard" + i + ".log"), "study", "--config", config.toString(), "--out",
          shared.toString(), "--precision", "fp32", "--threads", "1", "--no-pretraining-cache", "--shard", i + "/2");
    }
    for (int i = 0; i < 2; i++) {
      assertTrue(shards[i].waitFor(180, TimeUnit.SECONDS), "shard " + i + " finishes");
      assertEquals(0, shards[i].exitValue(), "shard " + i + ":\n" + Files.readString(dir.resolve("shard" + i + ".log")));
    }
    String log0 = Files.readString(dir.resolve("shard0.log"));
    String log1 = Files.readString(dir.resolve("shard1.log"));
    assertTrue(log0.contains("shard 0/2: cells 1, 3, ... of the plan's 4"), log0);
    assertEquals(1, count(log0 + log1, "pretraining byol: byol"), "the shared pretraining ran once:\n" + log0 + log1);
    CliRun report = CliRun.of("study", "--config", config.toString(), "--out", shared.toString(), "--report-only",
        "--precision", "fp32");
    assertEquals(0, report.code(), report.out() + report.err());

    List<Path> expected = cells(single);
    assertEquals(4, expected.size());
    assertEquals(expected.stream().map(Path::getFileName).toList(), cells(shared).stream().map(Path::getFileName)
        .toList());
    for (Path p : expected) {
      CellResult a = CellStore.read(p);
      CellResult b = CellStore.read(shared.resolve("cells").resolve(p.getFileName()));
      assertEquals(a.test(), b.test(), p.getFileName().toString());
    }
    assertEquals(Files.readAllLines(single.resolve("results.csv")).size(),
        Files.readAllLines(shared.resolve("results.csv")).size());
  }

  private static int count(String text, String what) {
    return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
  }

  private static List<Path> cells(Path out) throws Exception {
    try (Stream<Path> s = Files.list(out.resolve("cells"))) {
      return s.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().startsWith(".")).sorted()
          .toList();
    }
  }
}
