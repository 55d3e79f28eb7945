package org.medssl.ssl;

import org.medssl.train.MixedPrecision;

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
      volumes.add(PglTest.smoothVolume(64, 64, 3, rng));
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
      MethodOptions o = MethodOptions.defaults().with(Contrastive.LOCAL_LEVEL, level);
      try (PretextMethod m = PretextMethods.create("contrastive", b, o, new SplittableRandom(2))) {
        Stage local = m.stages().get(1);
        counts[level] = local.trainable().size();
        PretextBatch batch = local.inputs().make(images, 2, new int[] {64, 64}, new SplittableRandom(5));
        try (StepScope s = StepScope.open()) {
          double loss = local.loss().compute(batch, new MixedPrecision(Precision.FP32)).loss().item();
          assertTrue(Double.isFinite(loss) && loss > 0, "level " + level + ": " + loss);
        }
      }
    }
    assertTrue(counts[0] > counts[1] && counts[1] > counts[2], java.util.Arrays.toString(counts));
    // A level beyond the decoder's coarsest is clamped to it.
    try (PretextMethod m = PretextMethods.create("contrastive", b,
        MethodOptions.defaults().with(Contrastive.LOCAL_LEVEL, 9), new SplittableRandom(2))) {
      assertEquals(counts[2], m.stages().get(1).trainable().size());
    }
  }

  @Test
  void matchedRegionsShowTheSameSourcePointInBothViews() {
    SplittableRandom rng = new SplittableRandom(11);
    org.medssl.augment.ViewRecipe crops = org.medssl.augment.ViewRecipe.localCrops();
    org.medssl.augment.ViewRecipe flipped = new org.medssl.augment.ViewRecipe(0.5, 1, 0.5, true, 0, 0, 0, 1, 1, 0, 0,
        0, 0, 0);
    int checked = 0;
    for (int trial = 0; trial < 40; trial++) {
      org.medssl.augment.ViewRecipe r = trial % 2 == 0 ? crops : flipped;
      int stride = 1 << (trial % 3);
      org.medssl.augment.ViewGeometry[] g = new org.medssl.augment.ViewGeometry[2];
      for (int v = 0; v < 2; v++) {
        g[v] = r.sample(new org.medssl.augment.Slice2d(new float[60 * 64], null, 60, 64), 32, 32, rng).geometry();
      }
      int f = 32 / stride;
      long[][] pos = LocalContrastive.matchedPositions(g[0], g[1], stride, f, f, 13);
      assertEquals(pos[0].length, pos[1].length);
      for (int v = 0; v < 2; v++) {
        assertEquals(pos[v].length, java.util.Arrays.stream(pos[v]).distinct().count(), "no region twice in a view");
      }
      for (int k = 0; k < pos[0].length; k++) {
        double[] a = source(g[0], pos[0][k], stride, f);
        double[] b = source(g[1], pos[1][k], stride, f);
        for (int axis = 0; axis < 2; axis++) {
          // Rounding to the nearest region in each view: at most half a feature pixel of each.
          double tolerance = 0.5 * stride * (g[0].size()[axis] / 32 + g[1].size()[axis] / 32) + 1e-9;
          assertTrue(Math.abs(a[axis] - b[axis]) <= tolerance, "trial " + trial + " axis " + axis + ": " + a[axis]
              + " vs " + b[axis]);
        }
        checked++;
      }
    }
    assertTrue(checked > 40 * 9, "lattices of several points: " + checked);
  }

  /** The source point (tensor order) at the centre of pooled region {@code index} of a view's feature map. */
  private static double[] source(org.medssl.augment.ViewGeometry g, long index, int stride, int f) {
    long[] p = {index / (f - 2), index % (f - 2)};
    double[] s = new double[2];
    for (int axis = 0; axis < 2; axis++) {
      double q = p[axis] + 1;
      double px = (q + 0.5) * stride - 0.5;
      int out = g.outSize()[axis];
      if (g.flips()[axis]) {
        px = out - 1 - px;
      }
      s[axis] = g.origin()[axis] + (px + 0.5) * g.size()[axis] / out - 0.5;
    }
    return s;
  }
}
