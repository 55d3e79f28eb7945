package org.medssl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Tensor#instanceNorm} against the definition, computed here in double precision: values
 * and the gradients of {@code sum(g * y)} for x, the weight and the bias.
 */
class InstanceNormTest {
  private static final double EPS = 1e-5;

  /** y, dx, dw, db of instance norm for input (n, c, spatial) and upstream gradient g. */
  private record Reference(double[] y, double[] dx, double[] dw, double[] db) {
    static Reference of(float[] x, float[] w, float[] b, float[] g, int n, int c, int spatial) {
      double[] y = new double[x.length];
      double[] dx = new double[x.length];
      double[] dw = new double[c];
      double[] db = new double[c];
      for (int i = 0; i < n; i++) {
        for (int ch = 0; ch < c; ch++) {
          int off = (i * c + ch) * spatial;
          double mean = 0;
          for (int k = 0; k < spatial; k++) {
            mean += x[off + k];
          }
          mean /= spatial;
          double var = 0;
          for (int k = 0; k < spatial; k++) {
            var += (x[off + k] - mean) * (x[off + k] - mean);
          }
          double inv = 1 / Math.sqrt(var / spatial + EPS);
          double meanG = 0;
          double meanGxhat = 0;
          for (int k = 0; k < spatial; k++) {
            double xhat = (x[off + k] - mean) * inv;
            y[off + k] = xhat * w[ch] + b[ch];
            meanG += g[off + k];
            meanGxhat += g[off + k] * xhat;
            dw[ch] += g[off + k] * xhat;
            db[ch] += g[off + k];
          }
          meanG /= spatial;
          meanGxhat /= spatial;
          for (int k = 0; k < spatial; k++) {
            double xhat = (x[off + k] - mean) * inv;
            dx[off + k] = w[ch] * inv * (g[off + k] - meanG - xhat * meanGxhat);
          }
        }
      }
      return new Reference(y, dx, dw, db);
    }
  }

  private static float[] gaussian(SplittableRandom rng, int count, double mean, double sd) {
    float[] v = new float[count];
    for (int i = 0; i < count; i++) {
      v[i] = (float) (mean + sd * rng.nextGaussian());
    }
    return v;
  }

  private static void assertClose(double[] expected, float[] actual, double tolerance, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      double err = Math.abs(expected[i] - actual[i]);
      assertTrue(err <= tolerance * (1 + Math.abs(expected[i])),
          what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
    }
  }

  private static void checkFp32(long... shape) {
    int n = (int) shape[0];
    int c = (int) shape[1];
    int spatial = 1;
    for (int i = 2; i < shape.length; i++) {
      spatial *= (int) shape[i];
    }
    SplittableRandom rng = new SplittableRandom(shape.length * 31L + c);
    // An offset and a scale per tensor, so a missing centring or scaling shows.
    float[] x = gaussian(rng, n * c * spatial, 3, 2);
    float[] w = gaussian(rng, c, 1, 0.5);
    float[] b = gaussian(rng, c, 0, 0.5);
    float[] g = gaussian(rng, x.length, 0, 1);
    Reference ref = Reference.of(x, w, b, g, n, c, spatial);
    try (StepScope s = StepScope.open()) {
      Tensor tx = Tensor.of(x, shape).requiresGrad(true);
      Tensor tw = Tensor.of(w, c).requiresGrad(true);
      Tensor tb = Tensor.of(b, c).requiresGrad(true);
      Tensor y = tx.instanceNorm(tw, tb);
      assertClose(ref.y(), y.toFloats(), 1e-4, "y");
      y.mul(Tensor.of(g, shape)).sum().backward();
      assertClose(ref.dx(), tx.grad().toFloats(), 1e-3, "dx");
      assertClose(ref.dw(), tw.grad().toFloats(), 1e-3, "dw");
      assertClose(ref.db(), tb.grad().toFloats(), 1e-3, "db");
    }
  }

  @Test
  void matchesTheDefinitionIn2d() {
    checkFp32(3, 4, 6, 5);
  }

  @Test
  void matchesTheDefinitionIn3d() {
    checkFp32(2, 3, 4, 5, 6);
  }

  @Test
  void normalisesEachSampleSeparately() {
    // Two samples of one channel with very different statistics: a batch-wide norm would mix them.
    float[] x = {0, 1, 2, 3, 100, 300, 500, 700};
    try (StepScope s = StepScope.open()) {
      float[] y = Tensor.of(x, 2, 1, 2, 2).instanceNorm(Tensor.of(new float[] {1}, 1), Tensor.of(new float[] {0}, 1))
          .toFloats();
      for (int i = 0; i < 4; i++) {
        assertEquals(y[i], y[i + 4], 1e-4, "both samples normalise to the same standard scores");
      }
    }
  }

  @Test
  void keepsBf16FromAutocastAndStaysCloseToTheDefinition() {
    SplittableRandom rng = new SplittableRandom(5);
    float[] x = gaussian(rng, 2 * 3 * 8 * 8, 1, 2);
    float[] w = gaussian(rng, 3, 1, 0.3);
    float[] b = gaussian(rng, 3, 0, 0.3);
    float[] identity = new float[3 * 3];
    for (int ch = 0; ch < 3; ch++) {
      identity[ch * 3 + ch] = 1;
    }
    try (StepScope s = StepScope.open()) {
      Tensor y;
      Tensor bf16;
      try (Autocast a = Autocast.of(Precision.BF16)) {
        // A 1x1 identity convolution under autocast gives the bf16 input a network would see.
        bf16 = Tensor.of(x, 2, 3, 8, 8).conv(Tensor.of(identity, 3, 3, 1, 1), null, 1);
        y = bf16.instanceNorm(Tensor.of(w, 3), Tensor.of(b, 3));
      }
      assertTrue(bf16.isBf16() && y.isBf16(), "bf16 in, bf16 out");
      Reference ref = Reference.of(bf16.toFloats(), w, b, new float[x.length], 2, 3, 64);
      assertClose(ref.y(), y.toFloats(), 2e-2, "y (bf16)");
    }
  }
}
