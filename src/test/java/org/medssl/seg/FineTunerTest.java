package org.medssl.seg;

import org.medssl.train.StepEvent;

import org.medssl.data.PreprocessingOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
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
import org.medssl.tensor.TensorData;
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
      FineTuneResult r = new FineTuner(cfg, 2).run(net, train, val, FineTuneListener.NONE);
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
        dice[k] = new FineTuner(cfg, 2).run(net, train, val, FineTuneListener.NONE).curve().get(1).trainLoss();
      }
    }
    assertEquals(dice[0], dice[1], 0.0);
  }

  private static SegNet smallNet() {
    return new SegNet(new SegNetConfig(Dims.TWO, 1, 2, new int[] {4, 8}, NormKind.INSTANCE), new SplittableRandom(0));
  }

  private static Map<String, TensorData> part(Map<String, TensorData> weights, String prefix, boolean keep) {
    Map<String, TensorData> out = new TreeMap<>();
    weights.forEach((name, t) -> {
      if (name.startsWith(prefix) == keep) {
        out.put(name, t);
      }
    });
    return out;
  }

  private static boolean same(Map<String, TensorData> a, Map<String, TensorData> b) {
    assertEquals(a.keySet(), b.keySet());
    return a.keySet().stream().allMatch(k -> Arrays.equals(a.get(k).values(), b.get(k).values()));
  }

  @Test
  void aFrozenEncoderStaysUnchangedForItsStepsWhileTheRestTrainsThenJoins() {
    List<Subject> train = List.of(disc("a", 1), disc("b", 2));
    FineTuneConfig cfg = new FineTuneConfig(8, 2, 1e-2, 1e-2, 2, 4, 5, false, SegLoss.DICE_CE, Precision.FP32, 3,
        PreprocessingOptions.AUTO).withFrozenEncoderSteps(5);
    try (SegNet net = smallNet()) {
      Map<String, TensorData> start = net.weights().snapshot();
      Map<String, Map<String, TensorData>> atFive = new HashMap<>();
      List<Double> rates = new ArrayList<>();
      FineTuneResult r = new FineTuner(cfg, 2).run(net, train, List.of(), new FineTuneListener() {
        @Override
        public void onStep(StepEvent e) {
          rates.add(e.learningRate());
          if (e.step() == 5) {
            atFive.put("w", net.weights().snapshot());
          }
        }
      });
      assertEquals(8, r.stepsRun());
      Map<String, TensorData> five = atFive.get("w");
      assertTrue(same(part(start, "encoder.", true), part(five, "encoder.", true)), "encoder frozen for 5 steps");
      assertFalse(same(part(start, "encoder.", false), part(five, "encoder.", false)), "decoder and head trained");
      Map<String, TensorData> end = net.weights().snapshot();
      assertFalse(same(part(five, "encoder.", true), part(end, "encoder.", true)), "the encoder trains after step 5");
      assertTrue(net.weights().parameters().stream().allMatch(t -> t.requiresGrad()), "every weight trainable again");
      assertEquals(1e-2, rates.get(5), 1e-12, "the full phase starts afresh: no warm-up in 3 steps, peak rate");
      assertTrue(rates.get(4) < rates.get(3), "the frozen phase decays over its own 5 steps");
    }
  }

  @Test
  void anEncoderLrScaleOfZeroKeepsTheEncoderAsItWas() {
    List<Subject> train = List.of(disc("a", 1), disc("b", 2));
    FineTuneConfig cfg = new FineTuneConfig(4, 2, 1e-2, 1e-2, 1, 4, 5, false, SegLoss.DICE_CE, Precision.FP32, 3,
        PreprocessingOptions.AUTO).withEncoderLrScale(0);
    try (SegNet net = smallNet()) {
      Map<String, TensorData> start = net.weights().snapshot();
      new FineTuner(cfg, 2).run(net, train, List.of(), FineTuneListener.NONE);
      Map<String, TensorData> end = net.weights().snapshot();
      assertTrue(same(part(start, "encoder.", true), part(end, "encoder.", true)));
      assertFalse(same(part(start, "encoder.", false), part(end, "encoder.", false)));
    }
  }

  @Test
  void theDefaultsTrainExactlyAsAConfigWithoutThem() {
    List<Subject> train = List.of(disc("a", 1), disc("b", 2));
    FineTuneConfig old = new FineTuneConfig(6, 2, 1e-2, 1e-2, 2, 3, 5, true, SegLoss.DICE_CE, Precision.FP32, 3,
        PreprocessingOptions.AUTO);
    assertEquals(1.0, old.encoderLrScale());
    assertEquals(0, old.frozenEncoderSteps());
    assertFalse(old.treatsEncoderApart());
    FineTuneConfig halfOne = old.withEncoderLrScale(0.5).withEncoderLrScale(1);
    Map<String, TensorData>[] w = new Map[2];
    FineTuneConfig[] configs = {old, halfOne};
    for (int k = 0; k < 2; k++) {
      try (SegNet net = smallNet()) {
        new FineTuner(configs[k], 2).run(net, train, List.of(), FineTuneListener.NONE);
        w[k] = net.weights().snapshot();
      }
    }
    assertTrue(same(w[0], w[1]));
    assertThrows(IllegalArgumentException.class, () -> old.withFrozenEncoderSteps(6), "no step left to fine-tune");
    assertThrows(IllegalArgumentException.class, () -> old.withEncoderLrScale(-1));
  }
}
