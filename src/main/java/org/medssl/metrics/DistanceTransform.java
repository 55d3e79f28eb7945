package org.medssl.metrics;

import org.medssl.image.Grid;

/**
 * Exact Euclidean distance transform on a 3D grid with anisotropic voxel spacing.
 *
 * <p>For every voxel it gives the distance in millimetres to the nearest <em>feature</em> voxel,
 * with the distance between voxels (x, y, z) and (x', y', z') being sqrt(Σ (spacing_a · Δ_a)²).
 * SciPy's {@code distance_transform_edt(input, sampling=spacing)} is the same transform with the
 * features being the zeros of {@code input}. Voxels on a grid with no feature get +∞.
 *
 * <p>Algorithm: Felzenszwalb and Huttenlocher, "Distance transforms of sampled functions" (Theory
 * of Computing 8, 2012). The squared distance is a sum over axes, so one pass per axis (x, then y,
 * then z) computes, along each line, the lower envelope of the parabolas {@code w (p - q)² + f(q)}
 * with {@code w = spacing²}. Exact (not an approximation like chamfer distances), O(n) per axis.
 */
public final class DistanceTransform {

  private static final double INF = Double.POSITIVE_INFINITY;

  private DistanceTransform() {}

  /** Distance in mm from every voxel to the nearest voxel where {@code features} is true. */
  public static double[] distancesMm(boolean[] features, Grid grid) {
    double[] d = squaredDistancesMm2(features, grid);
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.sqrt(d[i]);
    }
    return d;
  }

  /** Squared distance in mm² to the nearest feature voxel (skips the square roots). */
  public static double[] squaredDistancesMm2(boolean[] features, Grid grid) {
    if (features.length != grid.size()) {
      throw new IllegalArgumentException(
          "mask of " + features.length + " voxels on a " + grid.shapeString() + " grid");
    }
    double[] d = new double[features.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = features[i] ? 0 : INF;
    }
    for (int axis = 0; axis < 3; axis++) {
      transformAxis(d, grid, axis);
    }
    return d;
  }

  /** Replaces every line along {@code axis} by its 1D transform, in place. */
  private static void transformAxis(double[] d, Grid grid, int axis) {
    int n = grid.dim(axis);
    if (n == 1) {
      return; // a single voxel per line: the distance along this axis is always zero
    }
    int[] stride = {1, grid.nx(), grid.nx() * grid.ny()};
    int b = (axis + 1) % 3;
    int c = (axis + 2) % 3;
    double weight = grid.spacing(axis) * grid.spacing(axis);
    LowerEnvelope envelope = new LowerEnvelope(n);
    for (int ic = 0; ic < grid.dim(c); ic++) {
      for (int ib = 0; ib < grid.dim(b); ib++) {
        envelope.transform(d, ib * stride[b] + ic * stride[c], stride[axis], weight);
      }
    }
  }

  /** Buffers for the 1D transform, reused across the lines of one pass. */
  private static final class LowerEnvelope {
    private final int n;
    private final double[] f;
    private final int[] vertex;
    private final double[] boundary;

    LowerEnvelope(int n) {
      this.n = n;
      this.f = new double[n];
      this.vertex = new int[n];
      this.boundary = new double[n + 1];
    }

    /** 1D squared-distance transform of the line d[start + p * step], p = 0..n-1, in place. */
    void transform(double[] d, int start, int step, double weight) {
      for (int p = 0; p < n; p++) {
        f[p] = d[start + p * step];
      }
      int k = build(weight);
      if (k < 0) {
        return; // no finite value on this line: it stays +inf
      }
      int j = 0;
      for (int p = 0; p < n; p++) {
        while (j < k && boundary[j + 1] < p) {
          j++;
        }
        double dp = p - vertex[j];
        d[start + p * step] = weight * dp * dp + f[vertex[j]];
      }
    }

    /**
     * Builds the lower envelope of the parabolas rooted at finite f values; returns the index of
     * its last parabola, or -1 if there is none. Infinite roots are skipped rather than fed to the
     * intersection formula, where ∞ − ∞ would give NaN.
     */
    private int build(double weight) {
      int k = -1;
      for (int q = 0; q < n; q++) {
        if (f[q] == INF) {
          continue;
        }
        double s = Double.NEGATIVE_INFINITY;
        while (k >= 0 && (s = intersection(vertex[k], q, weight)) <= boundary[k]) {
          k--;
        }
        k++;
        vertex[k] = q;
        boundary[k] = k == 0 ? Double.NEGATIVE_INFINITY : s;
      }
      return k;
    }

    /** Abscissa where the parabolas rooted at r and q (r < q) meet. */
    private double intersection(int r, int q, double weight) {
      double fromQ = f[q] + weight * q * q;
      double fromR = f[r] + weight * r * r;
      return (fromQ - fromR) / (2 * weight * (q - r));
    }
  }
}
