package org.medssl.augment;

/**
 * A 2D similarity transform with flips, mapping output pixels to source pixels. Output pixel
 * centre {@code (x, y)} (relative to the output centre) comes from source point
 * {@code R(-angle) * (flip(x, y) / scale) + source centre + shift}.
 */
public record SpatialParams(double scale, double angleRad, boolean flipX, boolean flipY, double shiftX, double shiftY) {

  public static final SpatialParams IDENTITY = new SpatialParams(1, 0, false, false, 0, 0);

  /**
   * This transform for output size (oh, ow) and source size (h, w). The rotation's cosine and
   * sine are taken once here, not per pixel: per pixel they were most of a batch's preparation.
   */
  public SourceMap on(int oh, int ow, int h, int w) {
    double cos = Math.cos(angleRad);
    double sin = Math.sin(angleRad);
    return (ox, oy) -> toSource(ox, oy, oh, ow, h, w, cos, sin);
  }

  /** Source coordinates (x, y) of output pixel (ox, oy) for output size (oh, ow) and source (h, w). */
  private double[] toSource(double ox, double oy, int oh, int ow, int h, int w, double cos, double sin) {
    double x = ox - (ow - 1) / 2.0;
    double y = oy - (oh - 1) / 2.0;
    if (flipX) {
      x = -x;
    }
    if (flipY) {
      y = -y;
    }
    x /= scale;
    y /= scale;
    double sx = cos * x - sin * y;
    double sy = sin * x + cos * y;
    return new double[] {sx + (w - 1) / 2.0 + shiftX, sy + (h - 1) / 2.0 + shiftY};
  }
}
