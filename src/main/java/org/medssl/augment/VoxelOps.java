package org.medssl.augment;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Deterministic intensity operations on {@link DenseImage}s of 2 or 3 axes (a slice is handled as
 * a volume of depth 1); spatial ones go through {@link Resample}. Each returns a new image and never
 * writes into its input.
 */
public final class VoxelOps {
  private VoxelOps() {}

  /**
   * nnU-Net's contrast change and a brightness offset: {@code x -> (x - mean) factor + mean + offset},
   * the mean taken over the whole image.
   */
  public static DenseImage contrast(DenseImage in, double factor, double offset) {
    float[] v = in.values().clone();
    double mean = 0;
    for (float x : v) {
      mean += x;
    }
    mean /= v.length;
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((v[i] - mean) * factor + mean + offset);
    }
    return in.with(v);
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

  /**
   * Separable Gaussian blur, {@code sigma} in voxels on every axis longer than 1, edges clamped;
   * the fastest axis first, each pass summed in double precision and rounded once per voxel.
   */
  public static DenseImage blur(DenseImage in, double sigma) {
    if (sigma <= 0) {
      return in;
    }
    double[] k = kernel(sigma);
    int[] s = in.shape3();
    float[] v = in.values();
    int[] strides = {s[1] * s[2], s[2], 1};
    for (int axis = 2; axis >= 0; axis--) {
      if (s[axis] > 1) {
        v = blurAxis(v, s, axis, strides[axis], k);
      }
    }
    return in.with(v == in.values() ? v.clone() : v);
  }

  private static double[] kernel(double sigma) {
    int r = Math.max(1, (int) Math.ceil(3 * sigma));
    double[] k = new double[2 * r + 1];
    double sum = 0;
    for (int i = -r; i <= r; i++) {
      k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
      sum += k[i + r];
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= sum;
    }
    return k;
  }

  private static float[] blurAxis(float[] v, int[] s, int axis, int stride, double[] k) {
    int n = s[axis];
    int r = k.length / 2;
    int outer = v.length / (n * stride);
    float[] out = new float[v.length];
    double[] acc = new double[stride];
    for (int o = 0; o < outer; o++) {
      int base = o * n * stride;
      for (int p = 0; p < n; p++) {
        Arrays.fill(acc, 0);
        for (int j = -r; j <= r; j++) {
          int from = base + Math.min(n - 1, Math.max(0, p + j)) * stride;
          double weight = k[j + r];
          for (int i = 0; i < stride; i++) {
            acc[i] += weight * v[from + i];
          }
        }
        int to = base + p * stride;
        for (int i = 0; i < stride; i++) {
          out[to + i] = (float) acc[i];
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
