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
