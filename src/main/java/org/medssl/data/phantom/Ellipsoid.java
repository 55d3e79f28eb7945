package org.medssl.data.phantom;

/**
 * A rotated ellipsoid: centre, semi-axes and a rotation given as yaw (about z), pitch (about x)
 * and roll (about y) in radians. A very long z semi-axis makes an elliptic cylinder.
 */
record Ellipsoid(double cx, double cy, double cz, double ax, double ay, double az, double[] toLocal)
    implements Shape {

  Ellipsoid {
    if (!(ax > 0 && ay > 0 && az > 0)) {
      throw new IllegalArgumentException("semi-axes must be positive: " + ax + ", " + ay + ", " + az);
    }
    if (toLocal.length != 9) {
      throw new IllegalArgumentException("rotation needs 9 entries");
    }
    toLocal = toLocal.clone();
  }

  static Ellipsoid axisAligned(double cx, double cy, double cz, double ax, double ay, double az) {
    return rotated(cx, cy, cz, ax, ay, az, 0, 0, 0);
  }

  static Ellipsoid rotated(double cx, double cy, double cz, double ax, double ay, double az,
      double yaw, double pitch, double roll) {
    return new Ellipsoid(cx, cy, cz, ax, ay, az, worldToLocal(yaw, pitch, roll));
  }

  /** Elliptic cylinder along z, rotated in the axial plane. */
  static Ellipsoid cylinder(double cx, double cy, double ax, double ay, double yaw) {
    return rotated(cx, cy, 0, ax, ay, 1e9, yaw, 0, 0);
  }

  /** Same centre and rotation, semi-axes scaled and then grown by {@code marginMm}. */
  Ellipsoid grown(double scale, double marginMm) {
    return new Ellipsoid(cx, cy, cz, ax * scale + marginMm, ay * scale + marginMm,
        az * scale + marginMm, toLocal);
  }

  /** Same shape and rotation moved by the given offset. */
  Ellipsoid shifted(double dx, double dy, double dz) {
    return new Ellipsoid(cx + dx, cy + dy, cz + dz, ax, ay, az, toLocal);
  }

  /** Squared normalised radius: below 1 inside, above 1 outside. */
  double radius2(double x, double y, double z) {
    double px = x - cx;
    double py = y - cy;
    double pz = z - cz;
    double u = (toLocal[0] * px + toLocal[1] * py + toLocal[2] * pz) / ax;
    double v = (toLocal[3] * px + toLocal[4] * py + toLocal[5] * pz) / ay;
    double w = (toLocal[6] * px + toLocal[7] * py + toLocal[8] * pz) / az;
    return u * u + v * v + w * w;
  }

  @Override
  public boolean contains(double x, double y, double z) {
    return radius2(x, y, z) <= 1;
  }

  /** Transpose of R = Rz(yaw) * Rx(pitch) * Ry(roll): maps world offsets into the local axes. */
  private static double[] worldToLocal(double yaw, double pitch, double roll) {
    double[] rz = {Math.cos(yaw), -Math.sin(yaw), 0, Math.sin(yaw), Math.cos(yaw), 0, 0, 0, 1};
    double[] rx = {1, 0, 0, 0, Math.cos(pitch), -Math.sin(pitch), 0, Math.sin(pitch), Math.cos(pitch)};
    double[] ry = {Math.cos(roll), 0, Math.sin(roll), 0, 1, 0, -Math.sin(roll), 0, Math.cos(roll)};
    double[] r = multiply(multiply(rz, rx), ry);
    return new double[] {r[0], r[3], r[6], r[1], r[4], r[7], r[2], r[5], r[8]};
  }

  private static double[] multiply(double[] a, double[] b) {
    double[] out = new double[9];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 3; k++) {
          out[i * 3 + j] += a[i * 3 + k] * b[k * 3 + j];
        }
      }
    }
    return out;
  }
}
