package org.medssl.tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Normally distributed test values from a seeded generator: the self-check's and speed probe's inputs. */
final class GaussianValues {
  private GaussianValues() {}

  /** As many values as {@code shape} holds, drawn with standard deviation {@code std}. */
  static float[] draw(SplittableRandom rng, long[] shape, double std) {
    float[] v = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact))];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (rng.nextGaussian() * std);
    }
    return v;
  }
}
