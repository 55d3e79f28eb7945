package org.medssl.bench;

import java.util.List;

/** Summary of repeated timings in milliseconds: median (what we report), min, max and count. */
public record Stats(double median, double min, double max, int n) {

  public static Stats of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values to summarise");
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Stats(median(sorted), sorted[0], sorted[sorted.length - 1], sorted.length);
  }

  static double median(double[] sorted) {
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** Items per second at the median time, for {@code items} processed per timed call. */
  public double perSecond(int items) {
    return items * 1000.0 / median;
  }

  @Override
  public String toString() {
    return String.format("%.1f ms [%.1f-%.1f, n=%d]", median, min, max, n);
  }
}
