package org.medssl.io.nifti;

import org.medssl.image.Affine;
import org.medssl.image.Orientation;

/**
 * The qform parameters of a NIfTI header (quaternion b, c, d; qfac; voxel sizes; offsets) and
 * their conversion to and from an affine, following nibabel's {@code get_qform} and {@code
 * set_qform} so that files round-trip the same way through both.
 */
public record Qform(double b, double c, double d, double qfac, double[] zooms, double[] offset) {

  public Qform {
    zooms = zooms.clone();
    offset = offset.clone();
  }

  /** Rotation from the quaternion, times diag(zooms) with qfac on the last, plus the offsets. */
  public Affine toAffine() {
    double[][] r = rotation();
    double[] scale = {Math.abs(zooms[0]), Math.abs(zooms[1]), Math.abs(zooms[2]) * qfac};
    double[] m = new double[16];
    for (int row = 0; row < 3; row++) {
      for (int col = 0; col < 3; col++) {
        m[row * 4 + col] = r[row][col] * scale[col];
      }
      m[row * 4 + 3] = offset[row];
    }
    m[15] = 1;
    return new Affine(m);
  }

  /**
   * The qform closest to {@code affine}: zooms are the column lengths, qfac makes the rotation
   * proper, and shears are stripped by taking the closest orthogonal matrix (nibabel's default
   * {@code strip_shears=True}). A degenerate affine gives the identity rotation.
   */
  public static Qform fromAffine(Affine affine) {
    double[] zooms = affine.columnNorms();
    double[][] r = new double[3][3];
    for (int row = 0; row < 3; row++) {
      for (int col = 0; col < 3; col++) {
        r[row][col] = zooms[col] == 0 ? 0 : affine.get(row, col) / zooms[col];
      }
    }
    double[] offset = {affine.get(0, 3), affine.get(1, 3), affine.get(2, 3)};
    double det = determinant(r);
    if (Math.abs(det) < 1e-12) {
      return new Qform(0, 0, 0, 1, zooms, offset);
    }
    double qfac = det > 0 ? 1 : -1;
    if (qfac < 0) {
      for (int row = 0; row < 3; row++) {
        r[row][2] = -r[row][2];
      }
    }
    double[] q = quaternion(Orientation.closestOrthogonal(r));
    return new Qform(q[1], q[2], q[3], qfac, zooms, offset);
  }

  /**
   * Rotation matrix of the unit quaternion (w, b, c, d) with w = sqrt(1 - b² - c² - d²), taken as
   * 0 when rounding makes the square negative (nibabel's {@code fillpositive}); normalised like
   * nibabel's {@code quat2mat}, so slightly non-unit stored values still give a rotation.
   */
  private double[][] rotation() {
    double w = Math.sqrt(Math.max(0, 1 - (b * b + c * c + d * d)));
    double n = w * w + b * b + c * c + d * d;
    if (n < 1e-15) {
      return new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    }
    double s = 2 / n;
    double x = b * s;
    double y = c * s;
    double z = d * s;
    return new double[][] {
        {1 - (c * y + d * z), b * y - w * z, b * z + w * y},
        {b * y + w * z, 1 - (b * x + d * z), c * z - w * x},
        {b * z - w * y, c * z + w * x, 1 - (b * x + c * y)}};
  }

  /** Quaternion (w, x, y, z) with w >= 0 of an orthogonal matrix with determinant +1. */
  private static double[] quaternion(double[][] m) {
    double trace = m[0][0] + m[1][1] + m[2][2];
    double[] q;
    // Shepperd's method: divide by the largest of the four candidates for numerical safety.
    if (trace > 0) {
      double s = 2 * Math.sqrt(trace + 1);
      q = new double[] {s / 4, (m[2][1] - m[1][2]) / s, (m[0][2] - m[2][0]) / s, (m[1][0] - m[0][1]) / s};
    } else if (m[0][0] > m[1][1] && m[0][0] > m[2][2]) {
      double s = 2 * Math.sqrt(1 + m[0][0] - m[1][1] - m[2][2]);
      q = new double[] {(m[2][1] - m[1][2]) / s, s / 4, (m[0][1] + m[1][0]) / s, (m[0][2] + m[2][0]) / s};
    } else if (m[1][1] > m[2][2]) {
      double s = 2 * Math.sqrt(1 + m[1][1] - m[0][0] - m[2][2]);
      q = new double[] {(m[0][2] - m[2][0]) / s, (m[0][1] + m[1][0]) / s, s / 4, (m[1][2] + m[2][1]) / s};
    } else {
      double s = 2 * Math.sqrt(1 + m[2][2] - m[0][0] - m[1][1]);
      q = new double[] {(m[1][0] - m[0][1]) / s, (m[0][2] + m[2][0]) / s, (m[1][2] + m[2][1]) / s, s / 4};
    }
    if (q[0] < 0) { // q and -q are the same rotation; NIfTI stores the one with w >= 0
      for (int i = 0; i < 4; i++) {
        q[i] = -q[i];
      }
    }
    return q;
  }

  private static double determinant(double[][] m) {
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  }
}
