package org.medssl.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medssl.testkit.Crash;
import org.medssl.data.PreprocessingOptions;
import org.medssl.data.phantom.PhantomDataset;
import org.medssl.io.model.Checkpoint;
import org.medssl.nn.Backbone;
import org.medssl.nn.NormKind;
import org.medssl.tensor.Engine;
import org.medssl.tensor.Precision;
import org.medssl.tensor.TensorData;
import org.medssl.train.Checkpointer;
import org.medssl.train.StepEvent;

/**
 * A fine-tuning that stops mid-way and resumes from its checkpoint ends as one that never stopped:
 * the same weights (the best validation's), the same learning curve and best step. With a
 * frozen-encoder warm start, before the phase boundary, exactly at it (the optimiser carries over
 * into the full phase) and after it.
 */
class FineTuneResumeTest {
  @TempDir
  static Path dir;
  static Path data;


  @BeforeAll
  static void data() {
    Engine.init(1);
    data = dir.resolve("ph");
    PhantomDataset.write(data, 4, 1, 2);
  }

  @ParameterizedTest
  @CsvSource({"12, 10, 15", "17, 15, 15", "33, 25, 15", "33, 30, 0"})
  void aResumedFineTuningEndsWhereAnUninterruptedOneDoes(int crashAfter, int lastCheckpoint, int frozen) {
    FineTuneConfig config = new FineTuneConfig(40, 2, 5e-3, 1e-5, 4, 10, 100, true, SegLoss.DICE_CE, Precision.FP32,
        3, PreprocessingOptions.AUTO, frozen == 0 ? 1.0 : 0.5, frozen);
    FineTuneJob job = new FineTuneJob(data, 2, 1, Backbone.unet2d(new int[] {2, 4}, NormKind.INSTANCE), null, config);
    List<Double> l1 = new ArrayList<>();
    List<Double> l2 = new ArrayList<>();
    FineTuneJob.Outcome whole = job.run(new FineTuneListener() {
      @Override
      public void onStep(StepEvent e) {
        l1.add(e.loss());
      }
    }, s -> { });

    Path out = dir.resolve("resumed-" + crashAfter + "-" + frozen + ".medssl");
    Path ckpt = Checkpointer.pathFor(out);
    assertThrows(Crash.class, () -> job.run(Crash.after(crashAfter), s -> { }, out, new Checkpointer.Policy(10, false)));
    assertEquals(lastCheckpoint, Checkpoint.read(ckpt).metadata().path("step").asInt(),
        "checkpoints every 10 steps and at the end of the frozen phase");

    List<String> log = new ArrayList<>();
    // built anew, as a re-run command (another process) builds it: equal settings, no shared objects
    FineTuneJob again = new FineTuneJob(data, 2, 1, Backbone.unet2d(new int[] {2, 4}, NormKind.INSTANCE), null, config);
    FineTuneJob.Outcome resumed = again.run(new FineTuneListener() {
      @Override
      public void onStep(StepEvent e) {
        l2.add(e.loss());
      }
    }, log::add, out, new Checkpointer.Policy(10, true));
    assertEquals(l1.subList(lastCheckpoint, l1.size()), l2, "the resumed steps' losses");
    assertTrue(log.contains("resuming from " + ckpt + " at step " + lastCheckpoint + " of 40"), log.toString());
    FineTuneJob.finished(out);
    assertFalse(Files.exists(ckpt));

    FineTuneResult a = whole.result();
    FineTuneResult b = resumed.result();
    assertEquals(a.curve(), b.curve());
    assertEquals(a.bestStep(), b.bestStep());
    assertEquals(a.stepsRun(), b.stepsRun());
    Map<String, TensorData> wa = whole.model().net().weights().snapshot();
    Map<String, TensorData> wb = resumed.model().net().weights().snapshot();
    assertEquals(wa.keySet(), wb.keySet());
    wa.forEach((name, t) -> assertArrayEquals(t.values(), wb.get(name).values(), name));
    whole.model().close();
    resumed.model().close();
  }

  /** Format-2 fine-tuning checkpoints hold settings no process can match: started over, not refused. */
  @Test
  void aCheckpointOfTheFormerFormatIsStartedOver() {
    FineTuneConfig config = new FineTuneConfig(12, 2, 5e-3, 1e-5, 2, 10, 100, true, SegLoss.DICE_CE, Precision.FP32,
        3, PreprocessingOptions.AUTO, 1.0, 0);
    FineTuneJob job = new FineTuneJob(data, 2, 1, Backbone.unet2d(new int[] {2, 4}, NormKind.INSTANCE), null, config);
    Path out = dir.resolve("former.medssl");
    Path ckpt = Checkpointer.pathFor(out);
    assertThrows(Crash.class, () -> job.run(Crash.after(11), s -> { }, out, new Checkpointer.Policy(10, false)));
    Checkpoint c = Checkpoint.read(ckpt);
    c.metadata().put("format", 2).put("settings", "FineTuneJob[backbone=Backbone[channels=[I@75de29c0]]");
    c.write(ckpt);
    List<String> log = new ArrayList<>();
    FineTuneJob.Outcome o = job.run(FineTuneListener.NONE, log::add, out, new Checkpointer.Policy(10, true));
    assertTrue(log.contains(ckpt + " was written by an older medssl; starting over (it will be replaced)"),
        log.toString());
    assertEquals(12, o.result().stepsRun());
    o.model().close();
  }

}
