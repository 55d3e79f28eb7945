package org.medssl.augment;

import java.util.SplittableRandom;

/**
 * Deterministic spatial and intensity operations on {@link DenseImage}s of 2 or 3 axes (a slice is
 * handled as a volume of depth 1). Each returns a new image and never writes into its input.
 */
public final class VoxelOps {
  private VoxelOps() {}

  /** Reverses the axes marked in {@code flips} (tensor order). */
  public static DenseImage flip(DenseImage in, boolean[] flips) {
    if (flips.length != in.dims()) {
      throw new IllegalArgumentException("one flip per axis expected");
    }
    int[] s = in.shape3();
    boolean[] f = in.dims() == 3 ? flips : new boolean[] {false, flips[0], flips[1]};
    if (!f[0] && !f[1] && !f[2]) {
      return in;
    }
    float[] v = in.values();
    float[] out = new float[v.length];
    for (int z = 0; z < s[0]; z++) {
      int sz = f[0] ? s[0] - 1 - z : z;
      for (int y = 0; y < s[1]; y++) {
        int sy = f[1] ? s[1] - 1 - y : y;
        int from = (sz * s[1] + sy) * s[2];
        int to = (z * s[1] + y) * s[2];
        for (int x = 0; x < s[2]; x++) {
          out[to + x] = v[from + (f[2] ? s[2] - 1 - x : x)];
        }
      }
    }
    return in.with(out);
  }

  /** Adds white Gaussian noise of standard deviation {@code std}, drawn from {@code seed}. */
  public static DenseImage addNoise(DenseImage in, double std, long seed) {
    if (std <= 0) {
      return in;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    float[] v = in.values().clone();
    for (int i = 0; i < v.length; i++) {
      v[i] += (float) (rng.nextGaussian() * std);
    }
    return in.with(v);
  }

  /** Separable Gaussian blur, {@code sigma} in voxels on every axis longer than 1, edges clamped. */
  public static DenseImage blur(DenseImage in, double sigma) {
    if (sigma <= 0) {
      return in;
    }
    float[] k = kernel(sigma);
    int[] s = in.shape3();
    float[] v = in.values();
    int[] strides = {s[1] * s[2], s[2], 1};
    for (int axis = 0; axis < 3; axis++) {
      if (s[axis] > 1) {
        v = blurAxis(v, s, axis, strides[axis], k);
      }
    }
    return in.with(v == in.values() ? v.clone() : v);
  }

  private static float[] kernel(double sigma) {
    int r = Math.max(1, (int) Math.ceil(3 * sigma));
    float[] k = new float[2 * r + 1];
    double sum = 0;
    for (int i = -r; i <= r; i++) {
      sum += Math.exp(-i * i / (2 * sigma * sigma));
    }
    for (int i = -r; i <= r; i++) {
      k[i + r] = (float) (Math.exp(-i * i / (2 * sigma * sigma)) / sum);
    }
    return k;
  }

  private static float[] blurAxis(float[] v, int[] s, int axis, int stride, float[] k) {
    int n = s[axis];
    int r = k.length / 2;
    int outer = v.length / (n * stride);
    float[] out = new float[v.length];
    for (int o = 0; o < outer; o++) {
      int base = o * n * stride;
      for (int p = 0; p < n; p++) {
        int to = base + p * stride;
        for (int j = -r; j <= r; j++) {
          int from = base + Math.min(n - 1, Math.max(0, p + j)) * stride;
          float weight = k[j + r];
          for (int i = 0; i < stride; i++) {
            out[to + i] += weight * v[from + i];
          }
        }
      }
    }
    return out;
  }

  /** Multiplies by {@code factor}, then clips to the image's range before the change. */
  public static DenseImage scaleClipped(DenseImage in, double factor) {
    float lo = in.min();
    float hi = in.max();
    float[] v = in.values().clone();
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.min(hi, Math.max(lo, (float) (v[i] * factor)));
    }
    return in.with(v);
  }

  /** {@code x -> min + range ((x - min) / range)^gamma}: gamma on the intensities rescaled to [0, 1]. */
  public static DenseImage gamma(DenseImage in, double gamma) {
    float lo = in.min();
    float hi = in.max();
    if (!(hi > lo)) {
      return in;
    }
    double range = hi - lo;
    float[] v = in.values().clone();
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (lo + range * Math.pow((v[i] - lo) / range, gamma));
    }
    return in.with(v);
  }
}
