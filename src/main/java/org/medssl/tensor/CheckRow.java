package org.medssl.tensor;

/**
 * One line of the self-check: an op in one precision and memory layout against its double
 * precision reference. Errors are the largest absolute difference divided by the reference's
 * largest magnitude, over the output and, when there are any, the input and weight gradients
 * (NaN when any value was not finite); {@code -1} where the op has no such gradient.
 *
 * @param path the route the op took ({@code oneDNN}, {@code oneDNN pad16}, {@code ATen}, ...)
 * @param maxAbs largest absolute difference over all compared tensors
 * @param millis median time of the forward and backward pass
 */
public record CheckRow(String op, String shape, String precision, String layout, String path, double outputError,
    double inputGradError, double weightGradError, double maxAbs, boolean pass, double millis) {

  /** The largest of the three relative errors (NaN if any is NaN). */
  public double worstError() {
    return Math.max(outputError, Math.max(inputGradError, weightGradError));
  }

  /** {@code op shape precision layout}: what a failure message names. */
  public String label() {
    return op + " " + shape + " " + precision + " " + layout;
  }
}
