package org.medssl.ssl;

import org.medssl.tensor.Tensor;

/**
 * Watches for representation collapse: the standard deviation across the batch of L2-normalised
 * embeddings, averaged over dimensions. Spread-out d-dimensional embeddings give about
 * {@code 1/sqrt(d)}; a collapsed representation (every input mapped to one point) gives 0.
 */
public final class Collapse {
  /** Below this fraction of {@code 1/sqrt(d)} the representation is reported as collapsing. */
  public static final double WARNING_FRACTION = 0.1;

  private Collapse() {}

  public static double std(Tensor embeddings) {
    return embeddings.detach().toFloat().normalize(1).std(0).mean().item();
  }

  public static double healthy(int dim) {
    return 1 / Math.sqrt(dim);
  }

  public static boolean collapsing(double std, int dim) {
    return Double.isFinite(std) && std < WARNING_FRACTION * healthy(dim);
  }
}
