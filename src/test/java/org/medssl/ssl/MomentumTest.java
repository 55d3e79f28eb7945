package org.medssl.ssl;

import org.medssl.nn.Backbone;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.medssl.nn.NormKind;
import org.medssl.nn.SegNet;
import org.medssl.nn.SegNetConfig;
import org.medssl.nn.Dims;
import org.medssl.tensor.Init;
import org.medssl.tensor.NoGrad;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;
import org.medssl.tensor.TensorData;
import org.medssl.tensor.TransferReport;
import org.junit.jupiter.api.Test;

class MomentumTest {

  @Test
  void emaScheduleRisesFromTau0ToOne() {
    EmaSchedule s = new EmaSchedule(0.99);
    assertEquals(0.99, s.tau(0, 100), 1e-12);
    assertEquals(0.995, s.tau(50, 100), 1e-12);
    assertEquals(1.0, s.tau(100, 100), 1e-12);
  }

  @Test
  void emaUpdateFollowsTheFormula() {
    try (ParamStore store = new ParamStore()) {
      store.param("online.x", Init.ONES, new SplittableRandom(0), 3);
      store.param("x", Init.ZEROS, new SplittableRandom(0), 3);
      MomentumPairs pairs = new MomentumPairs(store, List.<String[]>of(new String[] {"online.", ""}));
      assertEquals(1, pairs.size());
      pairs.update(0.9);
      assertArrayEquals(new float[] {0.1f, 0.1f, 0.1f}, store.snapshot().get("x").values(), 1e-7f);
      pairs.update(0.9);
      assertArrayEquals(new float[] {0.19f, 0.19f, 0.19f}, store.snapshot().get("x").values(), 1e-6f);
    }
  }

  @Test
  void fineTuningTakesTheByolTargetEncoder() {
    Backbone backbone = Backbone.unet2d(new int[] {2, 4}, NormKind.INSTANCE);
    try (Byol byol = new Byol(backbone, Byol.Config.defaults(), new SplittableRandom(1))) {
      Map<String, TensorData> before = byol.weights().snapshot();
      assertArrayEquals(before.get("online.encoder.stage0.conv1.w").values(), before.get("encoder.stage0.conv1.w").values(),
          "BYOL starts with target = online");
      // Move the online weights, then one EMA step: target and online now differ.
      try (StepScope s = StepScope.open(); NoGrad g = NoGrad.open()) {
        byol.weights().named().get("online.encoder.stage0.conv1.w").addInPlace(Tensor.of(
            new float[before.get("encoder.stage0.conv1.w").values().length], before.get("encoder.stage0.conv1.w").shape())
            .add(1.0), 1);
      }
      byol.afterStep(1, 10);
      Map<String, TensorData> after = byol.weights().snapshot();
      float[] target = after.get("encoder.stage0.conv1.w").values();
      assertNotEquals(after.get("online.encoder.stage0.conv1.w").values()[0], target[0]);
      try (SegNet net = new SegNet(new SegNetConfig(Dims.TWO, 1, 3, new int[] {2, 4}, NormKind.INSTANCE), new SplittableRandom(9))) {
        TransferReport r = net.weights().load(after);
        assertTrue(r.loaded().stream().allMatch(n -> n.startsWith("encoder.")), r.loaded().toString());
        assertTrue(r.fresh().stream().noneMatch(n -> n.startsWith("encoder.")), r.fresh().toString());
        assertArrayEquals(target, net.weights().snapshot().get("encoder.stage0.conv1.w").values());
      }
    }
  }

  @Test
  void larsUpdateMatchesItsFormula() {
    try (ParamStore store = new ParamStore()) {
      Tensor w = store.param("w", Init.ZEROS, new SplittableRandom(0), 1, 2);
      Tensor b = store.param("b", Init.ZEROS, new SplittableRandom(0), 1);
      try (StepScope s = StepScope.open(); NoGrad g = NoGrad.open()) {
        w.copyFrom(Tensor.of(new float[] {3, 4}, 1, 2));
        b.copyFrom(Tensor.of(new float[] {2}, 1));
      }
      try (Lars lars = new Lars(List.of(w, b), 1.0, 0.9, 0.1, 0.001)) {
        try (StepScope s = StepScope.open()) {
          // loss = 0.6 w0 + 0.8 w1 + 0.5 b  ->  grad w = (0.6, 0.8), grad b = 0.5
          Tensor loss = w.mul(Tensor.of(new float[] {0.6f, 0.8f}, 1, 2)).sum().add(b.mul(0.5).sum());
          lars.zeroGrad();
          loss.backward();
          lars.step();
        }
        // u = g + 0.1 w = (0.9, 1.2), |u| = 1.5, |w| = 5: u *= 0.001 * 5 / 1.5 -> (0.003, 0.004).
        assertArrayEquals(new float[] {2.997f, 3.996f}, store.snapshot().get("w").values(), 1e-6f);
        // Biases: plain momentum SGD, no decay, no trust ratio.
        assertArrayEquals(new float[] {1.5f}, store.snapshot().get("b").values(), 1e-6f);
      }
    }
  }

  @Test
  void collapseIsDetectedWhenEmbeddingsCoincide() {
    try (StepScope s = StepScope.open()) {
      Tensor same = Tensor.of(new float[] {1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3}, 4, 3);
      assertEquals(0.0, Collapse.std(same), 1e-6);
      assertTrue(Collapse.collapsing(Collapse.std(same), 3));
      SplittableRandom rng = new SplittableRandom(1);
      float[] spread = new float[64 * 16];
      for (int i = 0; i < spread.length; i++) {
        spread[i] = (float) rng.nextGaussian();
      }
      double std = Collapse.std(Tensor.of(spread, 64, 16));
      assertEquals(Collapse.healthy(16), std, 0.05);
      assertTrue(!Collapse.collapsing(std, 16));
    }
  }
}
