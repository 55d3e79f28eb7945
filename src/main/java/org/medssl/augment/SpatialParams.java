package org.medssl.augment;

/**
 * A 2D similarity transform with flips, mapping output pixels to source pixels. Output pixel
 * centre {@code (x, y)} (relative to the output centre) comes from source point
 * {@code R(-angle) * (flip(x, y) / scale) + source centre + shift}.
 */
public record SpatialParams(double scale, double angleRad, boolean flipX, boolean flipY, double shiftX, double shiftY) {

  public static final SpatialParams IDENTITY = new SpatialParams(1, 0, false, false, 0, 0);

  /**
   * This transform for output size (oh, ow) and source size (h, w), as a map of slice points
   * ({y, x}). The rotation's cosine and sine are taken once here, not per pixel: per pixel they
   * were most of a batch's preparation.
   */
  public SourceMap on(int oh, int ow, int h, int w) {
    double cos = Math.cos(angleRad);
    double sin = Math.sin(angleRad);
    return (out, source) -> {
      double x = out[1] - (ow - 1) / 2.0;
      double y = out[0] - (oh - 1) / 2.0;
      if (flipX) {
        x = -x;
      }
      if (flipY) {
        y = -y;
      }
      x /= scale;
      y /= scale;
      source[0] = sin * x + cos * y + (h - 1) / 2.0 + shiftY;
      source[1] = cos * x - sin * y + (w - 1) / 2.0 + shiftX;
    };
  }
}
