package org.medssl.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.data.phantom.PhantomDataset;
import org.medssl.io.model.Checkpoint;
import org.medssl.io.model.ModelFile;
import org.medssl.ssl.PretrainJob;
import org.medssl.tensor.TensorData;
import org.medssl.testkit.ChildJvm;

/**
 * kill -9 at random moments of a pretraining: after every kill the checkpoint on disk is a complete
 * one (old or new, never torn) and no model file is half there; {@code --resume} continues, and
 * the run that was killed three times ends with the same weights, bit for bit, as one that never was.
 */
class KillResumeTest {
  @TempDir
  Path dir;

  @Test
  void aPretrainingKilledAtRandomMomentsResumesToTheSameWeights() throws Exception {
    Path data = dir.resolve("ph");
    PhantomDataset.write(data, 4, 1, 7);
    Path reference = dir.resolve("reference.medssl");
    Process whole = ChildJvm.medssl(dir.resolve("reference.log"), args(data, reference));
    assertTrue(whole.waitFor(120, TimeUnit.SECONDS) && whole.exitValue() == 0, Files.readString(dir.resolve("reference.log")));

    Path out = dir.resolve("killed.medssl");
    Path ckpt = PretrainJob.checkpointPath(out);
    Random random = new Random(42);
    int lastStep = 0;
    for (int kill = 0; kill < 3; kill++) {
      Path log = dir.resolve("kill" + kill + ".log");
      Process child = ChildJvm.medssl(log, args(data, out));
      waitForNewerCheckpoint(ckpt, lastStep, child, log);
      Thread.sleep(random.nextInt(400)); // a random moment: often in the middle of the next checkpoint write
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      int step = Checkpoint.read(ckpt).metadata().path("step").asInt(); // complete, whatever the moment
      assertTrue(step > lastStep, "progress after kill " + kill + ": " + step);
      assertFalse(Files.exists(out), "no model before the run finishes");
      lastStep = step;
    }

    Path finalLog = dir.resolve("final.log");
    Process last = ChildJvm.medssl(finalLog, args(data, out));
    assertTrue(last.waitFor(120, TimeUnit.SECONDS));
    String log = Files.readString(finalLog);
    assertEquals(0, last.exitValue(), log);
    assertTrue(log.contains("resuming from " + ckpt + " at step "), log);
    assertFalse(Files.exists(ckpt), "checkpoint removed at the end");
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
    }
    Map<String, TensorData> expected = ModelFile.read(reference).weights();
    Map<String, TensorData> actual = ModelFile.read(out).weights();
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((name, w) -> assertArrayEquals(w.values(), actual.get(name).values(), name));
  }

  private static String[] args(Path data, Path out) {
    return new String[] {"pretrain", "--method", "byol", "--data", data.toString(), "--out", out.toString(), "--steps",
        "300", "--batch", "2", "--channels", "2,4", "--checkpoint-every", "1", "--precision", "fp32", "--threads", "1",
        "--resume", "--seed", "3"};
  }

  private static void waitForNewerCheckpoint(Path ckpt, int after, Process child, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      assertTrue(child.isAlive(), "ended before a new checkpoint: " + Files.readString(log));
      assertTrue(System.nanoTime() < deadline, "no new checkpoint within 90 s");
      if (Files.exists(ckpt)) {
        try {
          if (Checkpoint.read(ckpt).metadata().path("step").asInt() > after) {
            return;
          }
        } catch (RuntimeException replacedWhileReading) {
          // renamed over between open and read: try again
        }
      }
      Thread.sleep(10);
    }
  }
}
