package org.medssl.image;

/**
 * Which anatomical direction each voxel axis points to, as nibabel's {@code aff2axcodes}: "RAS"
 * means i runs to the Right, j to the Anterior, k to the Superior; "LPS" is the DICOM/ITK order.
 */
public final class Orientation {

  private static final String POSITIVE = "RAS";
  private static final String NEGATIVE = "LPI";

  private Orientation() {}

  /**
   * The three axis codes of {@code affine}, e.g. {@code "RAS"}. Oblique axes get the code of the
   * world axis they are closest to; like nibabel, axes are assigned in order i, j, k and a world
   * axis once taken is not offered again, so ties go to the earlier voxel axis. A degenerate axis
   * (zero column) gets {@code '?'}.
   */
  public static String axisCodes(Affine affine) {
    double[][] r = closestOrthogonal(unitColumns(affine));
    StringBuilder codes = new StringBuilder(3);
    for (int col = 0; col < 3; col++) {
      int out = largestRow(r, col);
      if (out < 0) {
        codes.append('?');
        continue;
      }
      codes.append(r[out][col] > 0 ? POSITIVE.charAt(out) : NEGATIVE.charAt(out));
      r[out] = new double[3]; // this world axis is taken
    }
    return codes.toString();
  }

  /**
   * The orthogonal matrix closest to {@code m} (the orthogonal factor of its polar decomposition,
   * as nibabel gets from an SVD): removes shears while keeping the handedness. Uses Newton's
   * iteration X = (X + X^-T) / 2, which converges in a few steps for the near-orthogonal matrices
   * of real scans. A singular matrix is returned unchanged (copied).
   */
  public static double[][] closestOrthogonal(double[][] m) {
    double[][] x = copy(m);
    for (int iter = 0; iter < 100; iter++) {
      double[][] inv = inverse(x);
      if (inv == null) {
        return copy(m);
      }
      double change = 0;
      double[][] next = new double[3][3];
      for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 3; c++) {
          next[r][c] = 0.5 * (x[r][c] + inv[c][r]);
          change = Math.max(change, Math.abs(next[r][c] - x[r][c]));
        }
      }
      x = next;
      if (change < 1e-15) {
        break;
      }
    }
    return x;
  }

  /** The 3x3 part of the affine with each column scaled to unit length (zero columns kept). */
  private static double[][] unitColumns(Affine affine) {
    double[] norms = affine.columnNorms();
    double[][] m = new double[3][3];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        m[r][c] = norms[c] == 0 ? 0 : affine.get(r, c) / norms[c];
      }
    }
    return m;
  }

  /** Row of the largest |entry| in a column (first on ties), or -1 when the column is ~zero. */
  private static int largestRow(double[][] m, int col) {
    int best = -1;
    double bestAbs = 1e-8; // nibabel's np.allclose(col, 0) tolerance
    for (int r = 0; r < 3; r++) {
      if (Math.abs(m[r][col]) > bestAbs) {
        best = r;
        bestAbs = Math.abs(m[r][col]);
      }
    }
    return best;
  }

  private static double[][] inverse(double[][] m) {
    double[][] cof = new double[3][3];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        int r1 = (r + 1) % 3;
        int r2 = (r + 2) % 3;
        int c1 = (c + 1) % 3;
        int c2 = (c + 2) % 3;
        cof[r][c] = m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1];
      }
    }
    double det = m[0][0] * cof[0][0] + m[0][1] * cof[0][1] + m[0][2] * cof[0][2];
    if (Math.abs(det) < 1e-12) {
      return null;
    }
    double[][] inv = new double[3][3];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        inv[r][c] = cof[c][r] / det;
      }
    }
    return inv;
  }

  private static double[][] copy(double[][] m) {
    double[][] out = new double[3][];
    for (int r = 0; r < 3; r++) {
      out[r] = m[r].clone();
    }
    return out;
  }
}
