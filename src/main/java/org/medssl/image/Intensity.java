package org.medssl.image;

import java.util.Arrays;

/** Intensity normalisation of volumes. */
public final class Intensity {
  private Intensity() {}

  /**
   * MR normalisation: clip to the [lo, hi] percentiles (e.g. 0.5 and 99.5), then z-score with the
   * clipped volume's mean and standard deviation. Percentiles make it robust to a few hot voxels.
   * Non-finite voxels are treated as the lower clip value.
   */
  public static Volume clipZScore(Volume v, double loPercentile, double hiPercentile) {
    float[] src = v.voxels();
    float lo = percentile(src, loPercentile);
    float hi = percentile(src, hiPercentile);
    float[] out = new float[src.length];
    for (int i = 0; i < src.length; i++) {
      out[i] = Float.isFinite(src[i]) ? Math.min(hi, Math.max(lo, src[i])) : lo;
    }
    return zScore(v.grid(), out);
  }

  /** Z-scores {@code out} in place with its own mean and standard deviation (a constant image stays centred). */
  private static Volume zScore(Grid grid, float[] out) {
    double sum = 0;
    for (float x : out) {
      sum += x;
    }
    double mean = sum / out.length;
    double ss = 0;
    for (float x : out) {
      ss += (x - mean) * (x - mean);
    }
    double std = Math.sqrt(ss / out.length);
    double scale = std > 1e-8 ? 1 / std : 1;
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) ((out[i] - mean) * scale);
    }
    return new Volume(grid, out);
  }

  /** The image as it is, with NaN/Inf voxels set to 0 (the mean of data z-scored beforehand). */
  public static Volume finiteOrZero(Volume v) {
    float[] src = v.voxels();
    float[] out = new float[src.length];
    for (int i = 0; i < src.length; i++) {
      out[i] = Float.isFinite(src[i]) ? src[i] : 0;
    }
    return new Volume(v.grid(), out);
  }

  /**
   * CT normalisation: clip to a fixed window of Hounsfield units (PGL uses [-1024, 325] for the
   * abdomen), then z-score with the windowed volume's mean and standard deviation.
   */
  public static Volume windowZScore(Volume v, double lo, double hi) {
    float[] src = v.voxels();
    float[] out = new float[src.length];
    for (int i = 0; i < src.length; i++) {
      out[i] = Float.isFinite(src[i]) ? (float) Math.min(hi, Math.max(lo, src[i])) : (float) lo;
    }
    return zScore(v.grid(), out);
  }

  /** Linear-interpolated percentile (numpy's default) of the finite values; 0 if none. */
  public static float percentile(float[] values, double p) {
    float[] finite = Arrays.copyOf(values, values.length);
    int n = 0;
    for (float x : values) {
      if (Float.isFinite(x)) {
        finite[n++] = x;
      }
    }
    if (n == 0) {
      return 0;
    }
    Arrays.sort(finite, 0, n);
    double rank = p / 100.0 * (n - 1);
    int below = (int) Math.floor(rank);
    int above = Math.min(n - 1, below + 1);
    double frac = rank - below;
    return (float) (finite[below] * (1 - frac) + finite[above] * frac);
  }
}
