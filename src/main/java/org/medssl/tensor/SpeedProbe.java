package org.medssl.tensor;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How much faster bf16 autocast runs than fp32 here, for {@code --precision auto}: the training
 * step (forward and backward) of two U-Net convolution blocks (3x3 convolution, instance norm,
 * leaky ReLU, twice), one 2D at the demo's size (8x16x96x96) and one 3D (2x16x16x48x48), timed
 * alternately after warm-up. The ratio of the medians, fp32 over bf16.
 */
final class SpeedProbe {
  private static final int WARMUP = 2;
  private static final int ROUNDS = 5;

  private SpeedProbe() {}

  static double bf16Speedup() {
    List<long[]> shapes = List.of(new long[] {8, 16, 96, 96}, new long[] {2, 16, 16, 48, 48});
    double fp32 = 0;
    double bf16 = 0;
    for (long[] shape : shapes) {
      Block block = new Block(shape);
      double[] f = new double[ROUNDS];
      double[] b = new double[ROUNDS];
      for (int i = 0; i < WARMUP + ROUNDS; i++) {
        double tf = block.step(Precision.FP32);
        double tb = block.step(Precision.BF16);
        if (i >= WARMUP) {
          f[i - WARMUP] = tf;
          b[i - WARMUP] = tb;
        }
      }
      fp32 += median(f);
      bf16 += median(b);
    }
    return fp32 / bf16;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  /** Two convolution-norm-activation layers with their weights; inputs and weights drawn once. */
  private static final class Block {
    private final float[] input;
    private final long[] shape;
    private final float[][] weights = new float[2][];
    private final long[] kernel;

    Block(long[] shape) {
      this.shape = shape;
      SplittableRandom rng = new SplittableRandom(7);
      this.input = GaussianValues.draw(rng, shape, 1);
      long c = shape[1];
      this.kernel = shape.length == 4 ? new long[] {c, c, 3, 3} : new long[] {c, c, 3, 3, 3};
      for (int i = 0; i < 2; i++) {
        weights[i] = GaussianValues.draw(rng, kernel, Math.sqrt(2.0 / (c * (shape.length == 4 ? 9 : 27))));
      }
    }

    /** One forward and backward pass in milliseconds. */
    double step(Precision precision) {
      try (StepScope scope = StepScope.open()) {
        Tensor x = Tensor.of(input, shape);
        Tensor ones = Tensor.of(filled(shape[1], 1f), shape[1]).requiresGrad(true);
        Tensor zeros = Tensor.zeros(shape[1]).requiresGrad(true);
        Tensor w1 = Tensor.of(weights[0], kernel).requiresGrad(true);
        Tensor w2 = Tensor.of(weights[1], kernel).requiresGrad(true);
        long start = System.nanoTime();
        Tensor h;
        try (Autocast autocast = Autocast.of(precision)) {
          h = x.conv(w1, null, 1).instanceNorm(ones, zeros).leakyRelu(0.01);
          h = h.conv(w2, null, 1).instanceNorm(ones, zeros).leakyRelu(0.01);
        }
        h.toFloat().mean().backward();
        return (System.nanoTime() - start) / 1e6;
      }
    }

    private static float[] filled(long n, float value) {
      float[] v = new float[(int) n];
      Arrays.fill(v, value);
      return v;
    }
  }
}
