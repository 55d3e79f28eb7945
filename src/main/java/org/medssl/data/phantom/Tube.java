package org.medssl.data.phantom;

/** A capsule: every point within {@code radius} of the segment from a to b (vessels). */
record Tube(double ax, double ay, double az, double bx, double by, double bz, double radius)
    implements Shape {

  Tube {
    if (!(radius > 0)) {
      throw new IllegalArgumentException("radius must be positive: " + radius);
    }
  }

  @Override
  public boolean contains(double x, double y, double z) {
    double dx = bx - ax;
    double dy = by - ay;
    double dz = bz - az;
    double len2 = dx * dx + dy * dy + dz * dz;
    double t = len2 == 0 ? 0 : ((x - ax) * dx + (y - ay) * dy + (z - az) * dz) / len2;
    t = Math.max(0, Math.min(1, t));
    double ex = x - (ax + t * dx);
    double ey = y - (ay + t * dy);
    double ez = z - (az + t * dz);
    return ex * ex + ey * ey + ez * ez <= radius * radius;
  }
}
