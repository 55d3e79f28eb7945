package org.medssl.study;

import org.medssl.study.store.CellStore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.data.phantom.PhantomDataset;
import org.medssl.testkit.ChildJvm;

/**
 * kill -9 in the middle of a study loses at most the cell in progress: the study runs in a child
 * JVM that is killed as soon as its first cell file appears; the rerun finishes without redoing
 * the cells that were already written, and every file left behind is complete.
 */
class StudyResumeTest {
  @TempDir
  Path dir;

  static final String CONFIG = """
      name: resume
      dataset: {path: ph}
      inits: [random]
      labeled: [1, 2]
      seeds: [0, 1, 2]
      finetune: {steps: 4, batch: 2, channels: [4, 8], validation: 1, validateEvery: 2, patience: 2}
      """;

  @Test
  void killedStudyResumesWithoutRedoingFinishedCells() throws Exception {
    PhantomDataset.write(dir.resolve("ph"), 6, 0, 5);
    Path config = dir.resolve("resume.yaml");
    Files.writeString(config, CONFIG);
    Path out = dir.resolve("out");

    Process child = start(config, out, dir.resolve("killed.log"));
    try {
      waitForFirstCell(out, child);
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
      child.waitFor(30, TimeUnit.SECONDS);
    }
    Map<Path, FileTime> survived = mtimes(out);
    assertTrue(!survived.isEmpty() && survived.size() < 9, "killed mid-study: " + survived.keySet());
    survived.keySet().forEach(CellStore::read); // every file present is complete

    Process rerun = start(config, out, dir.resolve("rerun.log"));
    assertTrue(rerun.waitFor(120, TimeUnit.SECONDS), "rerun finishes");
    String log = Files.readString(dir.resolve("rerun.log"));
    assertEquals(0, rerun.exitValue(), log);
    for (Path p : survived.keySet()) {
      String key = p.getFileName().toString().replace(".json", "");
      assertTrue(log.contains("skipping finished cell " + key), key + " not skipped:\n" + log);
      assertEquals(survived.get(p), Files.getLastModifiedTime(p), key + " was rewritten");
    }
    assertEquals(9, cells(out).size(), "6 cells + 3 reference cells");
    assertEquals(1 + 9 * 3, Files.readAllLines(out.resolve("results.csv")).size());
    try (Stream<Path> s = Files.list(out.resolve("cells"))) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
    }
  }

  /**
   * A cell killed after its first checkpoint continues from it: the rerun says so, and the cell
   * ends as the run that was never killed (same test Dice, bit for bit at fp32 and one thread).
   */
  @Test
  void aCellKilledMidWayContinuesFromItsCheckpoint() throws Exception {
    PhantomDataset.write(dir.resolve("ph"), 4, 0, 5);
    Path config = dir.resolve("cell.yaml");
    Files.writeString(config, """
        name: cell
        dataset: {path: ph}
        inits: [random]
        labeled: [1]
        seeds: [0]
        reference: false
        finetune: {steps: 260, batch: 2, channels: [4, 8], validation: 1, validateEvery: 50, patience: 10}
        """);
    Path whole = dir.resolve("whole");
    Process reference = start(config, whole, dir.resolve("whole.log"));
    assertTrue(reference.waitFor(120, TimeUnit.SECONDS) && reference.exitValue() == 0,
        Files.readString(dir.resolve("whole.log")));

    Path out = dir.resolve("killed");
    Path ckpt = out.resolve("checkpoints").resolve("random-n1-s0.ckpt");
    Process child = start(config, out, dir.resolve("killed.log"));
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!Files.isRegularFile(ckpt)) {
        assertTrue(child.isAlive(), "the cell ended before its first checkpoint");
        assertTrue(System.nanoTime() < deadline, "no checkpoint within 90 s");
        Thread.sleep(20);
      }
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
    assertTrue(cells(out).isEmpty(), "killed before the cell finished");
    Process rerun = start(config, out, dir.resolve("rerun.log"));
    assertTrue(rerun.waitFor(120, TimeUnit.SECONDS), "rerun finishes");
    String log = Files.readString(dir.resolve("rerun.log"));
    assertEquals(0, rerun.exitValue(), log);
    assertTrue(log.contains("resuming from " + ckpt + " at step "), log);
    assertFalse(Files.exists(ckpt), "a trained cell's checkpoint is removed");
    assertEquals(CellStore.read(cells(whole).get(0)).test(), CellStore.read(cells(out).get(0)).test());
  }

  private static Process start(Path config, Path out, Path log) throws Exception {
    return ChildJvm.medssl(log, "study", "--config", config.toString(), "--out", out.toString(), "--precision", "fp32",
        "--threads", "1");
  }

  private static void waitForFirstCell(Path out, Process child) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (cells(out).isEmpty()) {
      assertTrue(child.isAlive(), "the study ended before writing a cell");
      assertTrue(System.nanoTime() < deadline, "no cell file within 90 s");
      Thread.sleep(20);
    }
  }

  private static List<Path> cells(Path out) throws Exception {
    Path dir = out.resolve("cells");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".json") && !p.getFileName().toString().startsWith("."))
          .sorted().toList();
    }
  }

  private static Map<Path, FileTime> mtimes(Path out) throws Exception {
    Map<Path, FileTime> m = new TreeMap<>();
    for (Path p : cells(out)) {
      m.put(p, Files.getLastModifiedTime(p));
    }
    return m;
  }
}
