package org.medssl.seg;

import org.medssl.data.PreprocessingOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.medssl.data.Subject;
import org.medssl.image.Grid;
import org.medssl.image.LabelMap;
import org.medssl.image.Volume;
import org.medssl.nn.Dims;
import org.medssl.nn.NormKind;
import org.medssl.nn.SegNet;
import org.medssl.nn.SegNetConfig;
import org.medssl.tensor.Precision;
import org.junit.jupiter.api.Test;

class FineTunerTest {

  /** A bright disc (label 1) of random centre and radius on a noisy dark background. */
  static Subject disc(String id, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Grid g = Grid.of(32, 32, 4, 1, 1, 1);
    float[] img = new float[g.size()];
    int[] lab = new int[g.size()];
    double cx = 10 + rng.nextDouble() * 12;
    double cy = 10 + rng.nextDouble() * 12;
    double r = 4 + rng.nextDouble() * 4;
    for (int z = 0; z < 4; z++) {
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          boolean in = (x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r;
          int i = g.index(x, y, z);
          lab[i] = in ? 1 : 0;
          img[i] = (float) ((in ? 1.0 : -1.0) + 0.3 * rng.nextGaussian());
        }
      }
    }
    return new Subject(id, new Volume(g, img), new LabelMap(g, lab));
  }

  @Test
  void learnsAnEasyTaskAndKeepsTheBestValidationWeights() {
    List<Subject> train = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      train.add(disc("t" + i, i));
    }
    List<Subject> val = List.of(disc("v", 99));
    FineTuneConfig cfg = new FineTuneConfig(60, 4, 1e-2, 0, 5, 20, 5, false, SegLoss.DICE_CE, Precision.FP32, 1,
        PreprocessingOptions.AUTO);
    try (SegNet net = new SegNet(new SegNetConfig(Dims.TWO, 1, 2, new int[] {4, 8}, NormKind.INSTANCE),
        new SplittableRandom(0))) {
      FineTuneResult r = new FineTuner(cfg, 2).run(net, train, val, TrainingListener.NONE);
      assertEquals(3, r.curve().size());
      assertTrue(r.bestValidationDice() > 0.9, "validation Dice " + r.bestValidationDice());
      double after = FineTuner.meanDice(net, new SliceInferer(2, 4, Precision.FP32), val);
      assertEquals(r.bestValidationDice(), after, 1e-9, "network holds the best weights at the end");
    }
  }

  @Test
  void sameSeedGivesBitIdenticalResultsInFp32() {
    List<Subject> train = List.of(disc("a", 1), disc("b", 2));
    List<Subject> val = List.of(disc("v", 3));
    FineTuneConfig cfg = new FineTuneConfig(10, 2, 1e-2, 0, 2, 5, 5, true, SegLoss.DICE, Precision.FP32, 4,
        PreprocessingOptions.AUTO);
    double[] dice = new double[2];
    for (int k = 0; k < 2; k++) {
      try (SegNet net = new SegNet(new SegNetConfig(Dims.TWO, 1, 2, new int[] {4, 8}, NormKind.INSTANCE),
          new SplittableRandom(0))) {
        dice[k] = new FineTuner(cfg, 2).run(net, train, val, TrainingListener.NONE).curve().get(1).trainLoss();
      }
    }
    assertEquals(dice[0], dice[1], 0.0);
  }
}
