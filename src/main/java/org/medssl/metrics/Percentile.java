package org.medssl.metrics;

import java.util.Arrays;

/** Percentiles exactly as {@code numpy.percentile(values, q)} computes them by default. */
public final class Percentile {

  private Percentile() {}

  /**
   * NumPy's default "linear" percentile (Hyndman and Fan type 7): the sorted values are
   * interpolated at the virtual index {@code (n - 1) * q / 100}. The interpolation is written as
   * NumPy's {@code _lerp} writes it (from the upper neighbour when the weight is at least 0.5) so
   * that results agree to the last bit, not just to rounding.
   *
   * @param values at least one value, not modified
   * @param percent in [0, 100]
   */
  public static double linear(double[] values, double percent) {
    if (values.length == 0) {
      throw new IllegalArgumentException("percentile of no values");
    }
    if (!(percent >= 0 && percent <= 100)) {
      throw new IllegalArgumentException("percent must be in [0, 100]: " + percent);
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double virtualIndex = (n - 1) * (percent / 100);
    if (virtualIndex >= n - 1) {
      return sorted[n - 1];
    }
    int below = (int) Math.floor(virtualIndex);
    return lerp(sorted[below], sorted[below + 1], virtualIndex - below);
  }

  private static double lerp(double a, double b, double t) {
    double diff = b - a;
    return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
  }
}
