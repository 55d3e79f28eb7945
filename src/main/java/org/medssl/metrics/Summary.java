package org.medssl.metrics;

/**
 * Mean and spread of one metric over cases, with the counts that say what the mean is made of
 * (MONAI's {@code do_metric_reduction} returns the not-NaN count for the same reason).
 *
 * @param mean mean of the present values; NaN when none is present
 * @param std sample standard deviation (divisor n − 1) of the present values; 0 when n = 1, NaN
 *     when n = 0
 * @param n number of present (non-NaN) values
 * @param missing number of NaN values — missing under {@link EmptyMaskPolicy} — left out of mean
 *     and std but reported here
 */
public record Summary(double mean, double std, int n, int missing) {

  public Summary {
    if (n < 0 || missing < 0) {
      throw new IllegalArgumentException("counts must be non-negative: n=" + n + ", missing=" + missing);
    }
  }

  /** Summarises {@code values}, NaN meaning missing. */
  public static Summary of(double[] values) {
    int n = 0;
    double sum = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        n++;
        sum += v;
      }
    }
    int missing = values.length - n;
    if (n == 0) {
      return new Summary(Double.NaN, Double.NaN, 0, missing);
    }
    double mean = sum / n;
    return new Summary(mean, sampleStd(values, mean, n), n, missing);
  }

  /** Two-pass (mean first) to avoid the cancellation of the sum-of-squares formula. */
  private static double sampleStd(double[] values, double mean, int n) {
    if (n < 2) {
      return 0.0;
    }
    double squares = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        squares += (v - mean) * (v - mean);
      }
    }
    return Math.sqrt(squares / (n - 1));
  }

  /** Total number of cases, present or missing. */
  public int total() {
    return n + missing;
  }
}
