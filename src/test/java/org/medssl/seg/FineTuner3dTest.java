package org.medssl.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medssl.MedsslException;
import org.medssl.data.PatchSize;
import org.medssl.data.PreprocessingOptions;
import org.medssl.data.Subject;
import org.medssl.image.Grid;
import org.medssl.image.LabelMap;
import org.medssl.image.Volume;
import org.medssl.nn.Dims;
import org.medssl.nn.NormKind;
import org.medssl.nn.SegNet;
import org.medssl.nn.SegNetConfig;
import org.medssl.tensor.Precision;

class FineTuner3dTest {
  private static final SlidingWindow WINDOW = SlidingWindow.of(new PatchSize(8, 16, 16));

  /** A bright ball (label 1) of random centre and radius on a noisy dark background, 24 x 24 x 16 voxels. */
  static Subject ball(String id, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Grid g = Grid.of(24, 24, 16, 1, 1, 1);
    float[] img = new float[g.size()];
    int[] lab = new int[g.size()];
    double cx = 8 + rng.nextDouble() * 8;
    double cy = 8 + rng.nextDouble() * 8;
    double cz = 5 + rng.nextDouble() * 6;
    double r = 4 + rng.nextDouble() * 2;
    for (int z = 0; z < 16; z++) {
      for (int y = 0; y < 24; y++) {
        for (int x = 0; x < 24; x++) {
          boolean in = (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz) < r * r;
          int i = g.index(x, y, z);
          lab[i] = in ? 1 : 0;
          img[i] = (float) ((in ? 1.0 : -1.0) + 0.3 * rng.nextGaussian());
        }
      }
    }
    return new Subject(id, new Volume(g, img), new LabelMap(g, lab));
  }

  private static SegNet net() {
    return new SegNet(new SegNetConfig(Dims.THREE, 1, 2, new int[] {4, 8}, NormKind.INSTANCE), new SplittableRandom(0));
  }

  @Test
  void learnsAnEasy3dTaskOnPatchesAndValidatesWithTheSlidingWindow() {
    List<Subject> train = List.of(ball("a", 1), ball("b", 2), ball("c", 3));
    List<Subject> val = List.of(ball("v", 99));
    FineTuneConfig cfg = new FineTuneConfig(60, 2, 1e-2, 0, 4, 20, 5, true, SegLoss.DICE_CE, Precision.FP32, 1,
        PreprocessingOptions.AUTO);
    try (SegNet net = net()) {
      FineTuneResult r = new FineTuner(cfg, 2, WINDOW).run(net, train, val, FineTuneListener.NONE);
      assertEquals(3, r.curve().size());
      assertTrue(r.bestValidationDice() > 0.8, "validation Dice " + r.bestValidationDice());
      double after = FineTuner.meanDice(net, SlidingWindowInferer.of(WINDOW, Precision.FP32), val);
      assertEquals(r.bestValidationDice(), after, 1e-9, "network holds the best weights at the end");
    }
  }

  @Test
  void sameSeedGivesBitIdenticalResultsInFp32() {
    List<Subject> train = List.of(ball("a", 1), ball("b", 2));
    List<Subject> val = List.of(ball("v", 3));
    FineTuneConfig cfg = new FineTuneConfig(6, 2, 1e-2, 0, 1, 3, 5, true, SegLoss.DICE_CE, Precision.FP32, 4,
        PreprocessingOptions.AUTO);
    double[][] results = new double[2][];
    for (int k = 0; k < 2; k++) {
      try (SegNet net = net()) {
        FineTuneResult r = new FineTuner(cfg, 2, WINDOW).run(net, train, val, FineTuneListener.NONE);
        results[k] = new double[] {r.curve().get(1).trainLoss(), r.curve().get(1).validationDice()};
      }
    }
    assertEquals(results[0][0], results[1][0], 0.0);
    assertEquals(results[0][1], results[1][1], 0.0);
  }

  @Test
  void aPatchTheNetworkCannotHalveIsAUserErrorNamingTheOption() {
    FineTuneConfig cfg = new FineTuneConfig(1, 1, 1e-2, 0, 0, 1, 1, false, SegLoss.DICE_CE, Precision.FP32, 1,
        PreprocessingOptions.AUTO);
    try (SegNet net = net()) {
      MedsslException e = assertThrows(MedsslException.class, () -> new FineTuner(cfg, 2,
          SlidingWindow.of(new PatchSize(7, 16, 16))).run(net, List.of(ball("a", 1)), List.of(), FineTuneListener.NONE));
      assertTrue(e.getMessage().startsWith("--patch 7,16,16: every side must be a multiple of 2"), e.getMessage());
    }
  }
}
