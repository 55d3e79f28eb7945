package org.medssl.tensor;

import java.util.random.RandomGenerator;

/** How a new parameter is filled. Values are drawn in Java so a seed fixes them exactly. */
public enum Init {
  ZEROS,
  ONES,
  /**
   * He/Kaiming normal for leaky-ReLU(0.01) with fan-in = in-channels x kernel volume (dimension
   * 1 onwards), as nnU-Net initialises its convolutions.
   */
  KAIMING_NORMAL;

  float[] fill(long[] shape, RandomGenerator rng) {
    int n = 1;
    for (long s : shape) {
      n = Math.multiplyExact(n, (int) s);
    }
    float[] out = new float[n];
    switch (this) {
      case ZEROS -> { }
      case ONES -> java.util.Arrays.fill(out, 1f);
      case KAIMING_NORMAL -> {
        long fanIn = shape.length > 1 ? n / shape[0] : n;
        double gain = Math.sqrt(2.0 / (1 + 0.01 * 0.01));
        double std = gain / Math.sqrt(Math.max(1, fanIn));
        for (int i = 0; i < n; i++) {
          out[i] = (float) (rng.nextGaussian() * std);
        }
      }
    }
    return out;
  }
}
