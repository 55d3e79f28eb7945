package org.medssl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * libtorch's bf16 conv3d gives NaN or infinite weight gradients for inputs of depth 2 on this
 * CPU; {@link Tensor#conv} computes those in fp32. Without the workaround the depth-2 cases fail.
 */
class Bf16Conv3dTest {

  @Test
  void weightGradientsOfThinVolumesAreFiniteAndCloseToFp32() {
    Engine.init(2);
    SplittableRandom rng = new SplittableRandom(1);
    for (int[] size : new int[][] {{2, 6, 6}, {2, 5, 5}, {2, 12, 12}, {3, 6, 6}, {4, 8, 8}}) {
      float[] x = gaussian(rng, 4 * 8 * size[0] * size[1] * size[2], 1);
      float[] w = gaussian(rng, 16 * 8 * 27, 0.05);
      double bf16 = weightGradNorm(x, w, size, Precision.BF16);
      double fp32 = weightGradNorm(x, w, size, Precision.FP32);
      assertTrue(Double.isFinite(bf16), "depth " + size[0] + ": " + bf16);
      assertEquals(fp32, bf16, 0.05 * fp32, "depth " + size[0]);
    }
  }

  /** Without gradients the depth-2 convolution stays in bf16 (only its weight gradient is broken). */
  @Test
  void noGradForwardOfThinVolumesStaysBf16AndMatchesFp32() {
    Engine.init(2);
    SplittableRandom rng = new SplittableRandom(2);
    float[] x = gaussian(rng, 4 * 8 * 2 * 6 * 6, 1);
    float[] w = gaussian(rng, 16 * 8 * 27, 0.05);
    try (StepScope s = StepScope.open(); NoGrad g = NoGrad.open()) {
      Tensor xt = Tensor.of(x, 4, 8, 2, 6, 6);
      Tensor wt = Tensor.of(w, 16, 8, 3, 3, 3);
      Tensor bf16;
      try (Autocast a = Autocast.of(Precision.BF16)) {
        bf16 = xt.conv(wt, null, 1);
      }
      assertTrue(bf16.isBf16());
      float[] low = bf16.toFloats();
      float[] high = xt.conv(wt, null, 1).toFloats();
      for (int i = 0; i < high.length; i++) {
        assertEquals(high[i], low[i], 0.02 + 0.02 * Math.abs(high[i]), "output " + i);
      }
    }
  }

  private static double weightGradNorm(float[] x, float[] w, int[] size, Precision precision) {
    try (StepScope s = StepScope.open()) {
      Tensor xt = Tensor.of(x, 4, 8, size[0], size[1], size[2]).requiresGrad(true);
      Tensor wt = Tensor.of(w, 16, 8, 3, 3, 3).requiresGrad(true);
      Tensor y;
      try (Autocast a = Autocast.of(precision)) {
        y = xt.conv(wt, null, 1);
      }
      Tensor f = y.toFloat();
      f.mul(f).mean().backward();
      return wt.grad().l2Norm();
    }
  }

  private static float[] gaussian(SplittableRandom rng, int n, double scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (scale * rng.nextGaussian());
    }
    return v;
  }
}
