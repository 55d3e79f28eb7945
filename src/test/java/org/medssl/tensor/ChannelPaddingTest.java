package org.medssl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The padded route computes the same convolutions: values and gradients of plain, strided,
 * biased, depthwise and transposed convolutions with channel counts off the 16-block, in 2D and
 * 3D, against oneDNN switched off (ATen's own kernels), which no padding touches.
 */
class ChannelPaddingTest {
  @Test
  void paddingRules() {
    assertEquals(8, ChannelPadding.missing(8));
    assertEquals(0, ChannelPadding.missing(32));
    assertEquals(15, ChannelPadding.missing(17));
    assertEquals(0, ChannelPadding.missingInput(1, false), "a first layer's image stays as it is");
    assertEquals(15, ChannelPadding.missingInput(1, true));
    assertEquals(8, ChannelPadding.missingInput(24, false));
    assertTrue(ChannelPadding.changes(16, 8, 1, true));
    assertFalse(ChannelPadding.changes(16, 32, 1, true));
    assertTrue(ChannelPadding.changes(8, 8, 8, true), "depthwise");
    assertFalse(ChannelPadding.changes(8, 16, 4, true), "other grouped convolutions are left alone");
  }

  @Test
  void paddedConvolutionsEqualUnpaddedOnesInValuesAndGradients() {
    Engine.ensureLoaded();
    check(new long[] {2, 8, 12, 12}, new long[] {8, 8, 3, 3}, 8, x -> x.get(0).conv(x.get(1), null, 1));
    check(new long[] {2, 24, 12, 12}, new long[] {8, 24, 3, 3}, 8, x -> x.get(0).conv(x.get(1), x.get(2), 2));
    check(new long[] {2, 1, 12, 12}, new long[] {8, 1, 3, 3}, 8, x -> x.get(0).conv(x.get(1), x.get(2), 1));
    check(new long[] {2, 8, 12, 12}, new long[] {4, 8, 1, 1}, 4, x -> x.get(0).conv(x.get(1), x.get(2), 1));
    check(new long[] {2, 8, 12, 12}, new long[] {8, 1, 3, 3}, 8, x -> x.get(0).conv(x.get(1), null, 1, 2, 8));
    check(new long[] {2, 16, 6, 6}, new long[] {16, 8, 2, 2}, 8, x -> x.get(0).convTranspose(x.get(1), x.get(2), 2));
    check(new long[] {1, 8, 4, 6, 6}, new long[] {12, 8, 3, 3, 3}, 12, x -> x.get(0).conv(x.get(1), x.get(2), 1));
    check(new long[] {1, 12, 4, 6, 6}, new long[] {12, 4, 2, 2, 2}, 4,
        x -> x.get(0).convTranspose(x.get(1), x.get(2), 2));
  }

  private static void check(long[] input, long[] weight, long out, Function<List<Tensor>, Tensor> conv) {
    SplittableRandom rng = new SplittableRandom(input.length * 31L + input[1]);
    float[] x = GaussianValues.draw(rng, input, 1);
    float[] w = GaussianValues.draw(rng, weight, 1);
    float[] b = GaussianValues.draw(rng, new long[] {out}, 1);
    float[][] padded = run(EngineConfig.PAD16, conv, x, input, w, weight, b);
    float[][] plain = run(EngineConfig.NATIVE, conv, x, input, w, weight, b);
    assertEquals(out, plain[3].length, "bias gradient per output channel");
    for (int i = 0; i < plain.length; i++) {
      assertEquals(plain[i].length, padded[i].length);
      double scale = 0;
      for (float v : plain[i]) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int j = 0; j < plain[i].length; j++) { // summation order differs between kernels: fp32 rounding only
        assertEquals(plain[i][j], padded[i][j], 1e-5 * scale + 1e-6, "tensor " + i + " at " + j);
      }
    }
  }

  /** Output, input gradient, weight gradient and bias gradient of one pass on {@code config}. */
  private static float[][] run(EngineConfig config, Function<List<Tensor>, Tensor> conv, float[] x, long[] xs,
      float[] w, long[] ws, float[] b) {
    EngineConfig before = Engine.config();
    Engine.use(config);
    try (StepScope scope = StepScope.open()) {
      Tensor xt = Tensor.of(x, xs).requiresGrad(true);
      Tensor wt = Tensor.of(w, ws).requiresGrad(true);
      Tensor bt = Tensor.of(b, b.length).requiresGrad(true);
      Tensor y = conv.apply(List.of(xt, wt, bt));
      y.mul(y).sum().backward();
      float[] bias = bt.grad() == null ? new float[b.length] : bt.grad().toFloats();
      return new float[][] {y.toFloats(), xt.grad().toFloats(), wt.grad().toFloats(), bias};
    } finally {
      Engine.use(before);
    }
  }
}
