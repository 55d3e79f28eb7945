package org.medssl.ssl;

import org.medssl.train.MixedPrecision;
import org.medssl.train.StepLoss;
import org.medssl.train.TrainingListener;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medssl.MedsslException;
import org.medssl.augment.ViewGeometry;
import org.medssl.augment.ViewRecipe;
import org.medssl.data.PretrainImages;
import org.medssl.image.Grid;
import org.medssl.image.Volume;
import org.medssl.nn.Backbone;
import org.medssl.nn.Dims;
import org.medssl.nn.EncoderKind;
import org.medssl.nn.NormKind;
import org.medssl.tensor.Engine;
import org.medssl.tensor.Precision;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;
import org.medssl.tensor.TensorData;

/** PGL (and BYOL on volumes) through the shared loop, in 3D and 2D, with tiny networks. */
class PglTest {
  private static final int[] PATCH = {8, 16, 16};
  private static final int[] SLICE = {16, 16};
  private static PretrainImages images;

  @BeforeAll
  static void data() {
    Engine.init(1);
    SplittableRandom rng = new SplittableRandom(5);
    List<Volume> volumes = new ArrayList<>();
    for (int v = 0; v < 3; v++) {
      volumes.add(smoothVolume(24, 22, 12, rng));
    }
    images = new PretrainImages(volumes, 2);
  }

  /** Sums of random sinusoids plus a little noise: structure that crops and flips change. */
  static Volume smoothVolume(int nx, int ny, int nz, SplittableRandom rng) {
    double[][] waves = new double[4][4];
    for (double[] w : waves) {
      for (int i = 0; i < 3; i++) {
        w[i] = 0.1 + 0.4 * rng.nextDouble();
      }
      w[3] = 2 * Math.PI * rng.nextDouble();
    }
    float[] v = new float[nx * ny * nz];
    for (int z = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++) {
          double s = 0.1 * rng.nextGaussian();
          for (double[] w : waves) {
            s += Math.sin(w[0] * x + w[1] * y + w[2] * z + w[3]);
          }
          v[x + nx * (y + ny * z)] = (float) s;
        }
      }
    }
    return new Volume(Grid.of(nx, ny, nz, 1, 1, 1), v);
  }

  private static Backbone backbone(Dims dims) {
    return new Backbone(dims, EncoderKind.UNET, new int[] {2, 4, 8}, NormKind.INSTANCE);
  }

  private static Pgl.Config small() {
    Pgl.Config d = Pgl.Config.defaults();
    return new Pgl.Config(d.tau0(), 16, 8, d.alignment(), d.views());
  }

  private static PretrainConfig steps(int steps) {
    return PretrainConfig.defaults(Precision.FP32, 3).withSteps(steps).withBatch(2);
  }

  @Test
  void trainsOnVolumes() {
    trainsAndUpdatesItsTarget(Dims.THREE, PATCH);
  }

  @Test
  void trainsOnSlices() {
    trainsAndUpdatesItsTarget(Dims.TWO, SLICE);
  }

  private void trainsAndUpdatesItsTarget(Dims dims, int[] size) {
    try (Pgl pgl = new Pgl(backbone(dims), small(), new SplittableRandom(1))) {
      Map<String, TensorData> before = pgl.weights().snapshot();
      String w = "encoder.stage1.conv1.w";
      assertArrayEquals(before.get(w).values(), before.get("target." + w).values(), "the target starts as the online copy");
      PretrainResult r = new Pretrainer(steps(4)).run(pgl, images, size, TrainingListener.NONE);
      assertEquals(4, r.steps());
      r.curve().forEach(p -> assertTrue(Double.isFinite(p.loss()) && p.loss() >= 0 && p.loss() <= 8, p.toString()));
      r.curve().forEach(p -> assertTrue(p.embeddingStd() > 0, "voxel embedding spread reported: " + p));
      Map<String, TensorData> after = pgl.weights().snapshot();
      double onlineMoved = distance(before.get(w), after.get(w));
      double targetMoved = distance(before.get("target." + w), after.get("target." + w));
      assertTrue(onlineMoved > 0, "the online encoder (encoder.*) is trained");
      assertTrue(targetMoved > 0 && targetMoved < onlineMoved, "the target follows by EMA: " + targetMoved + " vs "
          + onlineMoved);
      assertTrue(distance(before.get("target.projector.conv1.w"), after.get("target.projector.conv1.w")) > 0);
    }
  }

  @Test
  void trainsWithAResNetEncoder() {
    Backbone resnet = new Backbone(Dims.THREE, EncoderKind.RESNET18, new int[] {2, 4, 8}, NormKind.BATCH);
    try (Pgl pgl = new Pgl(resnet, small(), new SplittableRandom(1))) {
      PretrainResult r = new Pretrainer(steps(2)).run(pgl, images, PATCH, TrainingListener.NONE);
      r.curve().forEach(p -> assertTrue(Double.isFinite(p.loss()), p.toString()));
    }
  }

  @Test
  void theOnlinePathIsTrainedAndStoredAsEncoder() {
    try (Pgl pgl = new Pgl(backbone(Dims.THREE), small(), new SplittableRandom(1))) {
      assertEquals(List.of("encoder (online)"), pgl.transferredParts());
      Set<Tensor> trainable = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
      trainable.addAll(pgl.stages().get(0).trainable());
      Map<String, Tensor> named = pgl.weights().named();
      List<Tensor> params = pgl.weights().parameters();
      named.forEach((name, t) -> {
        if (params.contains(t)) {
          boolean online = name.startsWith("encoder.") || name.startsWith("projector.") || name.startsWith("predictor.");
          assertEquals(online, trainable.contains(t), name);
          assertTrue(online || name.startsWith("target."), name);
        }
      });
      assertTrue(named.containsKey("encoder.stage0.conv1.w") && named.containsKey("target.encoder.stage0.conv1.w"));
    }
  }

  @Test
  void swappingTheViewsGivesTheSameLoss() {
    try (Pgl pgl = new Pgl(backbone(Dims.THREE), small(), new SplittableRandom(2))) {
      Stage stage = pgl.stages().get(0);
      PretextBatch batch = stage.inputs().make(images, 3, PATCH, new SplittableRandom(8));
      List<ViewGeometry> swappedGeometry = new ArrayList<>();
      for (int i = 0; i < batch.n(); i++) {
        swappedGeometry.add(batch.geometries().get(2 * i + 1));
        swappedGeometry.add(batch.geometries().get(2 * i));
      }
      PretextBatch swapped = new PretextBatch(List.of(batch.inputs().get(1), batch.inputs().get(0)), swappedGeometry,
          batch.n(), batch.size());
      try (StepScope s = StepScope.open()) {
        double loss = stage.loss().compute(batch, new MixedPrecision(Precision.FP32)).loss().item();
        double other = stage.loss().compute(swapped, new MixedPrecision(Precision.FP32)).loss().item();
        assertTrue(loss > 0);
        assertEquals(loss, other, 1e-5 * loss);
      }
    }
  }

  @Test
  void runsUnderBf16Autocast() {
    try (Pgl pgl = new Pgl(backbone(Dims.THREE), small(), new SplittableRandom(2))) {
      Stage stage = pgl.stages().get(0);
      PretextBatch batch = stage.inputs().make(images, 2, PATCH, new SplittableRandom(8));
      try (StepScope s = StepScope.open()) {
        double fp32 = stage.loss().compute(batch, new MixedPrecision(Precision.FP32)).loss().item();
        StepLoss bf16 = stage.loss().compute(batch, new MixedPrecision(Precision.BF16));
        assertEquals(fp32, bf16.loss().item(), 0.05 * fp32);
        bf16.loss().backward();
      }
    }
  }

  @Test
  void theRegistryBuildsPglWithTheAblationSwitches() {
    PretextBatch batch;
    double[] losses = new double[4];
    boolean[][] switches = {{true, true}, {true, false}, {false, true}, {false, false}};
    for (int k = 0; k < switches.length; k++) {
      MethodOptions o = MethodOptions.defaults().with(ViewOptions.FLIPS, true).with(ViewOptions.REMAP, 0.0)
          .with(Pgl.FLIP_ALIGN, switches[k][0]).with(Pgl.CROP_ALIGN, switches[k][1]);
      try (PretextMethod m = PretextMethods.create("pgl", backbone(Dims.THREE), o, new SplittableRandom(4))) {
        assertEquals("pgl", m.name());
        Stage stage = m.stages().get(0);
        batch = stage.inputs().make(images, 2, PATCH, new SplittableRandom(9));
        try (StepScope s = StepScope.open()) {
          losses[k] = stage.loss().compute(batch, new MixedPrecision(Precision.FP32)).loss().item();
        }
      }
    }
    for (int k = 1; k < 4; k++) {
      assertNotEquals(losses[0], losses[k], 1e-6, "switch " + k + " changes what is compared");
    }
    assertTrue(MethodOptions.defaults().get(Pgl.FLIP_ALIGN) && MethodOptions.defaults().get(Pgl.CROP_ALIGN));
  }

  @Test
  void withoutFlippedViewsFlipAlignChangesNothing() {
    double[] losses = new double[2];
    for (int k = 0; k < 2; k++) {
      MethodOptions o = MethodOptions.defaults().with(Pgl.FLIP_ALIGN, k == 0);
      try (PretextMethod m = PretextMethods.create("pgl", backbone(Dims.THREE), o, new SplittableRandom(4))) {
        Stage stage = m.stages().get(0);
        PretextBatch batch = stage.inputs().make(images, 2, PATCH, new SplittableRandom(9));
        for (ViewGeometry g : batch.geometries()) {
          for (boolean f : g.flips()) {
            assertTrue(!f, "default views are not flipped");
          }
        }
        try (StepScope s = StepScope.open()) {
          losses[k] = stage.loss().compute(batch, new MixedPrecision(Precision.FP32)).loss().item();
        }
      }
    }
    assertEquals(losses[0], losses[1], 1e-6);
  }

  @Test
  void pglOnSlicesCropsInsideTheSlice() {
    Backbone b2 = backbone(Dims.TWO);
    int[] slice = images.sliceShape(); // the 2D input is the whole slice
    for (boolean sub : new boolean[] {true, false}) {
      MethodOptions o = MethodOptions.defaults().with(Pgl.SUB_SLICE_CROPS, sub);
      try (PretextMethod m = PretextMethods.create("pgl", b2, o, new SplittableRandom(4))) {
        PretextBatch batch = m.stages().get(0).inputs().make(images, 4, slice, new SplittableRandom(9));
        int smaller = 0;
        int different = 0;
        for (int i = 0; i < batch.geometries().size(); i += 2) {
          ViewGeometry a = batch.geometries().get(i);
          ViewGeometry c = batch.geometries().get(i + 1);
          smaller += a.size()[0] < slice[0] - 1 && a.size()[1] < slice[1] - 1 ? 1 : 0;
          different += java.util.Arrays.equals(a.origin(), c.origin()) ? 0 : 1;
        }
        if (sub) {
          assertEquals(4, smaller, "every crop is smaller than the slice");
          assertTrue(different >= 3, "the two crops differ, so CSAlign has a region to find");
        } else {
          assertEquals(0, smaller, "the paper's crops clamp to the whole slice");
        }
      }
    }
    // With sub-slice crops, CSAlign changes what PGL-2D compares (with whole-slice crops it could not).
    double[] losses = new double[2];
    for (int k = 0; k < 2; k++) {
      MethodOptions o = MethodOptions.defaults().with(Pgl.CROP_ALIGN, k == 0);
      try (PretextMethod m = PretextMethods.create("pgl", b2, o, new SplittableRandom(4))) {
        Stage stage = m.stages().get(0);
        PretextBatch batch = stage.inputs().make(images, 2, SLICE, new SplittableRandom(9));
        try (StepScope s = StepScope.open()) {
          losses[k] = stage.loss().compute(batch, new MixedPrecision(Precision.FP32)).loss().item();
        }
      }
    }
    assertTrue(Double.isFinite(losses[0]));
    assertNotEquals(losses[0], losses[1], 1e-6);
  }

  @Test
  void byolTrainsOnPglViewsOfVolumes() {
    try (Byol byol = new Byol(backbone(Dims.THREE), new Byol.Config(0.99, 16, 8), new SplittableRandom(3))) {
      PretextBatch batch = byol.stages().get(0).inputs().make(images, 2, PATCH, new SplittableRandom(1));
      assertArrayEquals(PATCH, batch.size());
      assertEquals(4, batch.geometries().size());
      batch.geometries().forEach(g -> assertEquals(3, g.dims()));
      PretrainResult r = new Pretrainer(steps(3)).run(byol, images, PATCH, TrainingListener.NONE);
      r.curve().forEach(p -> assertTrue(Double.isFinite(p.loss()), p.toString()));
    }
  }

  @Test
  void byolOnSlicesKeepsItsOwnViews() {
    try (Byol byol = new Byol(backbone(Dims.TWO), new Byol.Config(0.99, 16, 8), new SplittableRandom(3))) {
      PretextBatch fromByol = byol.stages().get(0).inputs().make(images, 2, SLICE, new SplittableRandom(1));
      PretextBatch expected = Views.twoViews(images, ViewRecipe.byol(),
          ViewRecipe.byol(), 2, SLICE, new SplittableRandom(1));
      assertArrayEquals(expected.inputs().get(0), fromByol.inputs().get(0));
      assertArrayEquals(expected.inputs().get(1), fromByol.inputs().get(1));
    }
  }

  /** With partition positives the two views come from two volumes' same partition, as contrastive's do. */
  @Test
  void byolWithPartitionPositivesPairsSlicesOfTwoVolumes() {
    MethodOptions partition = MethodOptions.defaults().with(ViewOptions.PARTITION_POSITIVES, true);
    try (PretextMethod byol = Byol.SPEC.factory().create(backbone(Dims.TWO), partition, new SplittableRandom(3))) {
      PretextBatch fromByol = byol.stages().get(0).inputs().make(images, 2, SLICE, new SplittableRandom(1));
      ViewRecipe recipe = ViewOptions.views(ViewRecipe.byol(), partition);
      PretextBatch expected = Views.partitionPairs(images, recipe, ViewOptions.PARTITIONS, 2, SLICE,
          new SplittableRandom(1));
      assertArrayEquals(expected.inputs().get(0), fromByol.inputs().get(0));
      assertArrayEquals(expected.inputs().get(1), fromByol.inputs().get(1));
      PretextBatch oneSlice = Views.twoViews(images, recipe, recipe, 2, SLICE, new SplittableRandom(1));
      assertNotEquals(Arrays.toString(oneSlice.inputs().get(1)),
          Arrays.toString(fromByol.inputs().get(1)));
      PretrainResult r = new Pretrainer(steps(3)).run(byol, images, SLICE, TrainingListener.NONE);
      r.curve().forEach(p -> assertTrue(Double.isFinite(p.loss()), p.toString()));
    }
    MedsslException e = org.junit.jupiter.api.Assertions.assertThrows(MedsslException.class,
        () -> PretextMethods.requireUsable("byol", partition, Dims.THREE));
    assertTrue(e.getMessage().startsWith("byol: partitionPositives"), e.getMessage());
    PretextMethods.requireUsable("pgl", partition, Dims.THREE); // not its option: ignored, as before
  }

  private static double distance(TensorData a, TensorData b) {
    double s = 0;
    for (int i = 0; i < a.values().length; i++) {
      double d = a.values()[i] - b.values()[i];
      s += d * d;
    }
    return Math.sqrt(s);
  }
}
