package org.medssl.data.phantom;

import java.util.random.RandomGenerator;
import org.medssl.image.Grid;

/** The acquisition side of a phantom: partial-volume blur, bias field and Rician noise, in place. */
final class Intensity {

  private Intensity() {}

  /** Separable Gaussian blur with per-axis sigma in voxels; edges clamped. */
  static void blur(Grid grid, float[] v, double[] sigmaVoxels) {
    float[] tmp = new float[v.length];
    for (int axis = 0; axis < 3; axis++) {
      if (sigmaVoxels[axis] > 0 && grid.dim(axis) > 1) {
        blurAxis(grid, v, tmp, axis, kernel(sigmaVoxels[axis]));
      }
    }
  }

  /**
   * Multiplies by exp(p(x, y, z)) with p a random quadratic in coordinates normalised to [-1, 1]:
   * the slow coil-sensitivity shading of MR.
   */
  static void applyBias(Grid grid, float[] v, double strength, RandomGenerator rng) {
    if (strength == 0) {
      return;
    }
    double[] c = new double[9];
    for (int i = 0; i < c.length; i++) {
      c[i] = strength / 2 * rng.nextGaussian();
    }
    int idx = 0;
    for (int k = 0; k < grid.nz(); k++) {
      double z = normalised(k, grid.nz());
      for (int j = 0; j < grid.ny(); j++) {
        double y = normalised(j, grid.ny());
        for (int i = 0; i < grid.nx(); i++, idx++) {
          double x = normalised(i, grid.nx());
          double p = c[0] * x + c[1] * y + c[2] * z + c[3] * x * x + c[4] * y * y + c[5] * z * z
              + c[6] * x * y + c[7] * x * z + c[8] * y * z;
          v[idx] *= (float) Math.exp(p);
        }
      }
    }
  }

  /**
   * A monotone intensity curve {@code ref * (v / ref)^gamma}: a scanner's or protocol's mild
   * non-linearity, which changes contrast between scans but never the order of tissues.
   */
  static void applyGamma(float[] v, double gamma, double ref) {
    for (int i = 0; i < v.length; i++) {
      v[i] = v[i] <= 0 ? 0 : (float) (ref * Math.pow(v[i] / ref, gamma));
    }
  }

  /** Multiplies every voxel by {@code gain} (the scanner's arbitrary scaling). */
  static void scale(float[] v, double gain) {
    for (int i = 0; i < v.length; i++) {
      v[i] *= (float) gain;
    }
  }

  /**
   * Magnitude of a complex signal with Gaussian noise on both channels: sqrt((s+n1)^2 + n2^2).
   * Dark regions get a positive Rayleigh floor, as in real magnitude images.
   */
  static void addRicianNoise(float[] v, double sigma, RandomGenerator rng) {
    for (int i = 0; i < v.length; i++) {
      double re = v[i] + sigma * rng.nextGaussian();
      double im = sigma * rng.nextGaussian();
      v[i] = (float) Math.sqrt(re * re + im * im);
    }
  }

  private static double normalised(int i, int n) {
    return n == 1 ? 0 : 2.0 * i / (n - 1) - 1;
  }

  private static float[] kernel(double sigma) {
    int r = Math.max(1, (int) Math.ceil(3 * sigma));
    float[] k = new float[2 * r + 1];
    double sum = 0;
    for (int i = -r; i <= r; i++) {
      double w = Math.exp(-0.5 * i * i / (sigma * sigma));
      k[i + r] = (float) w;
      sum += w;
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= (float) sum;
    }
    return k;
  }

  private static void blurAxis(Grid grid, float[] v, float[] tmp, int axis, float[] k) {
    int n = grid.dim(axis);
    int stride = axis == 0 ? 1 : axis == 1 ? grid.nx() : grid.nx() * grid.ny();
    int r = k.length / 2;
    System.arraycopy(v, 0, tmp, 0, v.length);
    for (int idx = 0; idx < v.length; idx++) {
      int pos = (idx / stride) % n;
      float sum = 0;
      for (int t = -r; t <= r; t++) {
        int q = Math.max(0, Math.min(n - 1, pos + t));
        sum += k[t + r] * tmp[idx + (q - pos) * stride];
      }
      v[idx] = sum;
    }
  }
}
