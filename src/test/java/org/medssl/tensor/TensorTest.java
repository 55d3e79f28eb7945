package org.medssl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TensorTest {

  @Test
  void roundTripsValuesAndShape() {
    try (StepScope s = StepScope.open()) {
      Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
      assertArrayEquals(new long[] {2, 3}, t.shape());
      assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toFloats());
      assertEquals(21f, t.sum().item());
      assertArrayEquals(new float[] {6, 15}, t.sum(1).toFloats());
    }
  }

  @Test
  void oneHotPutsClassesOnTheChannelAxis() {
    try (StepScope s = StepScope.open()) {
      Tensor labels = Tensor.ofLongs(new long[] {0, 2, 1, 2}, 1, 2, 2);
      Tensor oh = labels.oneHot(3);
      assertArrayEquals(new long[] {1, 3, 2, 2}, oh.shape());
      assertArrayEquals(new float[] {1, 0, 0, 0, /* c1 */ 0, 0, 1, 0, /* c2 */ 0, 1, 0, 1}, oh.toFloats());
    }
  }

  @Test
  void gradientDescentOnAConvolutionReducesTheLoss() {
    try (ParamStore store = new ParamStore()) {
      SplittableRandom rng = new SplittableRandom(1);
      Tensor w = store.param("w", Init.KAIMING_NORMAL, rng, 1, 1, 3, 3);
      Tensor b = store.param("b", Init.ZEROS, rng, 1);
      float[] x = new float[64];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) rng.nextGaussian();
      }
      try (Optimizer opt = Optimizer.adam(store.parameters(), 0.05, 0)) {
        float first = 0;
        float last = 0;
        for (int step = 0; step < 60; step++) {
          try (StepScope s = StepScope.open()) {
            Tensor in = Tensor.of(x, 1, 1, 8, 8);
            // Target: the identity filter, i.e. output = input.
            Tensor loss = in.conv(w, b, 1).sub(in).abs().mean();
            opt.zeroGrad();
            loss.backward();
            opt.step();
            last = loss.item();
            if (step == 0) {
              first = last;
            }
          }
        }
        assertTrue(last < first * 0.3, "loss " + first + " -> " + last);
      }
    }
  }

  @Test
  void snapshotAndLoadRoundTripExactly() {
    try (ParamStore a = new ParamStore(); ParamStore b = new ParamStore()) {
      a.param("conv.w", Init.KAIMING_NORMAL, new SplittableRandom(3), 4, 2, 3, 3);
      a.buffer("bn.mean", Init.ONES, 4);
      b.param("conv.w", Init.KAIMING_NORMAL, new SplittableRandom(4), 4, 2, 3, 3);
      b.buffer("bn.mean", Init.ZEROS, 4);
      b.param("head.w", Init.ZEROS, new SplittableRandom(4), 2, 4, 1, 1);
      Map<String, TensorData> snap = a.snapshot();
      TransferReport r = b.load(snap);
      assertEquals(List.of("conv.w", "bn.mean"), r.loaded());
      assertEquals(List.of("head.w"), r.fresh());
      assertArrayEquals(snap.get("conv.w").values(), b.snapshot().get("conv.w").values());
      assertArrayEquals(new float[] {1, 1, 1, 1}, b.snapshot().get("bn.mean").values());
    }
  }

  @Test
  void shapeMismatchOnLoadIsAnError() {
    try (ParamStore a = new ParamStore(); ParamStore b = new ParamStore()) {
      a.param("w", Init.ZEROS, new SplittableRandom(1), 4, 2);
      b.param("w", Init.ZEROS, new SplittableRandom(1), 2, 4);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.load(a.snapshot()));
      assertTrue(e.getMessage().contains("w has shape [4, 2]"), e.getMessage());
    }
  }

  @Test
  void bf16AutocastRunsConvolutionsInBf16() {
    try (ParamStore store = new ParamStore(); StepScope s = StepScope.open()) {
      Tensor w = store.param("w", Init.KAIMING_NORMAL, new SplittableRandom(1), 2, 1, 3, 3);
      Tensor x = Tensor.of(new float[16], 1, 1, 4, 4);
      Tensor y;
      try (Autocast a = Autocast.of(Precision.BF16)) {
        y = x.conv(w, null, 1);
      }
      assertEquals(2, y.size(1));
      assertTrue(y.isBf16(), "conv under autocast should produce bf16");
      Tensor z = x.conv(w, null, 1);
      assertTrue(!z.isBf16(), "autocast must be off after close");
    }
  }
}
