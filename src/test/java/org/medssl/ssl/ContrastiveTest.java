package org.medssl.ssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medssl.data.PretrainImages;
import org.medssl.image.Volume;
import org.medssl.nn.Backbone;
import org.medssl.nn.NormKind;
import org.medssl.nn.UNetBody;
import org.medssl.tensor.Engine;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.Precision;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;

/** The local contrastive stage at a coarser decoder level. */
class ContrastiveTest {
  private static PretrainImages images;

  @BeforeAll
  static void data() {
    Engine.init(1);
    SplittableRandom rng = new SplittableRandom(3);
    List<Volume> volumes = new ArrayList<>();
    for (int v = 0; v < 2; v++) {
      volumes.add(PglTest.smoothVolume(16, 16, 6, rng));
    }
    images = new PretrainImages(volumes, 2);
  }

  @Test
  void decoderLevelsHaveTheirResolutionAndChannels() {
    Backbone b = Backbone.unet2d(new int[] {2, 4, 8, 16}, NormKind.INSTANCE);
    try (ParamStore store = new ParamStore(); StepScope s = StepScope.open()) {
      UNetBody body = new UNetBody(store, b, 1, new SplittableRandom(1));
      List<Tensor> f = body.encode(Tensor.of(new float[2 * 32 * 32], 2, 1, 32, 32));
      assertArrayEquals(new long[] {2, 2, 32, 32}, body.decode(f, 0).shape());
      assertArrayEquals(new long[] {2, 4, 16, 16}, body.decode(f, 1).shape());
      assertArrayEquals(new long[] {2, 8, 8, 8}, body.decode(f, 2).shape());
      assertArrayEquals(body.decode(f).toFloats(), body.decode(f, 0).toFloats());
    }
  }

  @Test
  void theLocalStageTrainsOnlyTheDecoderDownToItsLevel() {
    Backbone b = Backbone.unet2d(new int[] {2, 4, 8, 16}, NormKind.INSTANCE);
    int[] counts = new int[3];
    for (int level = 0; level < 3; level++) {
      PretextMethods.Options o = PretextMethods.Options.defaults().withLocalLevel(level);
      try (PretextMethod m = PretextMethods.create("contrastive", b, o, new SplittableRandom(2))) {
        Stage local = m.stages().get(1);
        counts[level] = local.trainable().size();
        PretextBatch batch = local.inputs().make(images, 2, new int[] {16, 16}, new SplittableRandom(5));
        try (StepScope s = StepScope.open()) {
          double loss = local.loss().compute(batch, Precision.FP32).loss().item();
          assertTrue(Double.isFinite(loss) && loss > 0, "level " + level + ": " + loss);
        }
      }
    }
    assertTrue(counts[0] > counts[1] && counts[1] > counts[2], java.util.Arrays.toString(counts));
    // A level beyond the decoder's coarsest is clamped to it.
    try (PretextMethod m = PretextMethods.create("contrastive", b,
        PretextMethods.Options.defaults().withLocalLevel(9), new SplittableRandom(2))) {
      assertEquals(counts[2], m.stages().get(1).trainable().size());
    }
  }
}
