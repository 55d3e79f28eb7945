package org.medssl.image;

import java.util.Arrays;

/**
 * A 4x4 voxel-to-world transform (row-major), world in NIfTI's RAS+ millimetres.
 *
 * <p>Only the top three rows are free; the last row is always {@code 0 0 0 1}.
 */
public record Affine(double[] rowMajor) {

  public Affine {
    if (rowMajor.length != 16) {
      throw new IllegalArgumentException("an affine has 16 entries, got " + rowMajor.length);
    }
    rowMajor = rowMajor.clone();
  }

  /** Diagonal affine with the given voxel spacing and zero origin. */
  public static Affine ofSpacing(double sx, double sy, double sz) {
    return new Affine(new double[] {sx, 0, 0, 0, 0, sy, 0, 0, 0, 0, sz, 0, 0, 0, 0, 1});
  }

  public double get(int row, int col) {
    return rowMajor[row * 4 + col];
  }

  @Override
  public double[] rowMajor() {
    return rowMajor.clone();
  }

  /** Maps a voxel index (i, j, k) to world millimetres. */
  public double[] apply(double i, double j, double k) {
    double[] out = new double[3];
    for (int r = 0; r < 3; r++) {
      out[r] = get(r, 0) * i + get(r, 1) * j + get(r, 2) * k + get(r, 3);
    }
    return out;
  }

  /** The inverse transform (world to voxel). */
  public Affine inverse() {
    double[] m = rowMajor;
    double a = m[0], b = m[1], c = m[2], d = m[4], e = m[5], f = m[6], g = m[8], h = m[9], i = m[10];
    double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    if (Math.abs(det) < 1e-12) {
      throw new IllegalArgumentException("singular affine: " + this);
    }
    double[] r = {(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det,
        (f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det,
        (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det};
    double[] out = new double[16];
    for (int row = 0; row < 3; row++) {
      for (int col = 0; col < 3; col++) {
        out[row * 4 + col] = r[row * 3 + col];
      }
      out[row * 4 + 3] = -(r[row * 3] * m[3] + r[row * 3 + 1] * m[7] + r[row * 3 + 2] * m[11]);
    }
    out[15] = 1;
    return new Affine(out);
  }

  /** This transform after {@code first}: x -> this(first(x)). */
  public Affine compose(Affine first) {
    double[] out = new double[16];
    for (int row = 0; row < 4; row++) {
      for (int col = 0; col < 4; col++) {
        double sum = 0;
        for (int k = 0; k < 4; k++) {
          sum += get(row, k) * first.get(k, col);
        }
        out[row * 4 + col] = sum;
      }
    }
    return new Affine(out);
  }

  /** Length of each column of the 3x3 part: the voxel spacing this affine implies. */
  public double[] columnNorms() {
    double[] out = new double[3];
    for (int c = 0; c < 3; c++) {
      out[c] = Math.sqrt(sq(get(0, c)) + sq(get(1, c)) + sq(get(2, c)));
    }
    return out;
  }

  /** True when every entry differs by at most {@code tol}. */
  public boolean approxEquals(Affine other, double tol) {
    for (int i = 0; i < 16; i++) {
      if (Math.abs(rowMajor[i] - other.rowMajor[i]) > tol) {
        return false;
      }
    }
    return true;
  }

  private static double sq(double v) {
    return v * v;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Affine a && Arrays.equals(rowMajor, a.rowMajor);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(rowMajor);
  }

  @Override
  public String toString() {
    return "Affine" + Arrays.toString(rowMajor);
  }
}
