package org.medssl.ssl;

import org.medssl.testkit.Crash;
import org.medssl.train.Checkpointer;
import org.medssl.train.TrainingListener;

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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medssl.data.phantom.PhantomDataset;
import org.medssl.io.model.Checkpoint;
import org.medssl.io.model.ModelFile;
import org.medssl.nn.Backbone;
import org.medssl.nn.NormKind;
import org.medssl.tensor.Engine;
import org.medssl.tensor.Precision;
import org.medssl.tensor.TensorData;

/**
 * A pretraining that stops mid-way and resumes from its checkpoint ends with exactly the weights
 * (and loss curve) of one that never stopped: same batches from per-step seeds, the optimiser's
 * moments restored, EMA targets in the checkpoint, stage boundaries respected.
 */
class PretrainResumeTest {
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
  // Contrastive runs with the views from before flips were dropped and remaps added: with a batch
  // of 2 its first NT-Xent loss can be near 0 on the default views, and the divergence guard
  // (100x the first loss) then stops a healthy run; the checkpoints are what is tested here.
  @CsvSource({"denoise, ADAMW, 37, 25, false", "contrastive, ADAMW, 41, 30, true", "contrastive, ADAMW, 58, 55, true",
      "byol, LARS, 33, 25, false"})
  void aResumedRunEndsWhereAnUninterruptedOneDoes(String method, PretrainConfig.OptimizerKind optimizer, int crashAfter,
      int lastCheckpoint, boolean viewsAsBefore) {
    MethodOptions options = viewsAsBefore ? viewsAsBefore() : MethodOptions.defaults();
    PretrainJob job = new PretrainJob(data, method, Backbone.unet2d(new int[] {2, 4}, NormKind.INSTANCE),
        options, null,
        PretrainConfig.defaults(Precision.FP32, 5).withSteps(60).withBatch(2).withOptimizer(optimizer));
    Path whole = dir.resolve(method + crashAfter + "-whole.medssl");
    job.run(whole, TrainingListener.NONE, s -> { }, i -> { }, new Checkpointer.Policy(1000, false));

    Path out = dir.resolve(method + crashAfter + "-resumed.medssl");
    Path ckpt = PretrainJob.checkpointPath(out);
    assertThrows(Crash.class, () -> job.run(out, Crash.after(crashAfter), s -> { }, i -> { },
        new Checkpointer.Policy(25, false)));
    assertFalse(Files.exists(out));
    int saved = Checkpoint.read(ckpt).metadata().path("step").asInt();
    assertEquals(lastCheckpoint, saved, "checkpoints every 25 steps and at stage ends");

    List<String> log = new ArrayList<>();
    job.run(out, TrainingListener.NONE, log::add, i -> { }, new Checkpointer.Policy(1, true));
    assertTrue(log.contains("resuming from " + ckpt + " at step " + saved + " of 60"), log.toString());
    assertFalse(Files.exists(ckpt), "the finished run removes its checkpoint");

    ModelFile a = ModelFile.read(whole);
    ModelFile b = ModelFile.read(out);
    assertEquals(a.weights().keySet(), b.weights().keySet());
    for (Map.Entry<String, TensorData> e : a.weights().entrySet()) {
      assertArrayEquals(e.getValue().values(), b.weights().get(e.getKey()).values(), e.getKey());
    }
    assertEquals(a.metadata().path("provenance").path("lossCurve"), b.metadata().path("provenance").path("lossCurve"));
  }

  /** The views, masks and level of the code before their options existed. */
  private static MethodOptions viewsAsBefore() {
    return MethodOptions.defaults().with(ViewOptions.FLIPS, true).with(ViewOptions.REMAP, 0.0)
        .with(MaskedDenoising.MASK_BLOCK, 1).with(Contrastive.LOCAL_LEVEL, 0).with(Pgl.SUB_SLICE_CROPS, false)
        .with(Contrastive.LOCAL_CROPS, false);
  }
}
