package org.medssl.augment;

import java.util.SplittableRandom;

/** Deterministic intensity operations on slices, driven by {@link IntensityParams}. */
public final class IntensityOps {
  private IntensityOps() {}

  public static Slice2d apply(Slice2d s, IntensityParams p) {
    if (p.equals(IntensityParams.IDENTITY)) {
      return s;
    }
    float[] x = s.image().clone();
    double mean = 0;
    for (float v : x) {
      mean += v;
    }
    mean /= x.length;
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) ((x[i] - mean) * p.contrast() + mean + p.brightness());
      min = Math.min(min, x[i]);
      max = Math.max(max, x[i]);
    }
    if (p.gamma() != 1 && max > min) {
      double range = max - min;
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (Math.pow((x[i] - min) / range, p.gamma()) * range + min);
      }
    }
    if (p.noiseStd() > 0) {
      SplittableRandom noise = new SplittableRandom(p.noiseSeed());
      for (int i = 0; i < x.length; i++) {
        x[i] += (float) (noise.nextGaussian() * p.noiseStd());
      }
    }
    return new Slice2d(x, s.labels(), s.h(), s.w());
  }

  /** Separable Gaussian blur with standard deviation {@code sigma} pixels (edges clamped). */
  public static Slice2d blur(Slice2d s, double sigma) {
    if (sigma <= 0) {
      return s;
    }
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
    int h = s.h();
    int w = s.w();
    float[] tmp = new float[h * w];
    float[] out = new float[h * w];
    float[] in = s.image();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double acc = 0;
        for (int i = -r; i <= r; i++) {
          acc += k[i + r] * in[y * w + Math.min(w - 1, Math.max(0, x + i))];
        }
        tmp[y * w + x] = (float) acc;
      }
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double acc = 0;
        for (int i = -r; i <= r; i++) {
          acc += k[i + r] * tmp[Math.min(h - 1, Math.max(0, y + i)) * w + x];
        }
        out[y * w + x] = (float) acc;
      }
    }
    return new Slice2d(out, s.labels(), h, w);
  }
}
