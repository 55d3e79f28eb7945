package org.medssl.augment;

/**
 * The spatial record of a view: the crop box {@code [x0, x0+width) x [y0, y0+height)} of the
 * source slice (pixel-edge coordinates), resized to {@code outH x outW}, then flipped. Two views of
 * one slice can be related through their geometries (local contrastive positions, PGL alignment).
 */
public record Geometry2d(double x0, double y0, double width, double height, boolean flipX, boolean flipY,
    int outH, int outW) implements SourceMap {

  public Geometry2d {
    if (width <= 0 || height <= 0 || outH <= 0 || outW <= 0) {
      throw new IllegalArgumentException("empty crop or output");
    }
  }

  /** The whole {@code h x w} slice, unflipped, at its own size. */
  public static Geometry2d identity(int h, int w) {
    return new Geometry2d(0, 0, w, h, false, false, h, w);
  }

  /** The same geometry in tensor axis order ({y, x}). */
  public ViewGeometry toViewGeometry() {
    return new ViewGeometry(new double[] {y0, x0}, new double[] {height, width}, new boolean[] {flipY, flipX},
        new int[] {outH, outW});
  }

  @Override
  public double[] sourceOf(double ox, double oy) {
    double fx = flipX ? outW - 1 - ox : ox;
    double fy = flipY ? outH - 1 - oy : oy;
    return new double[] {x0 + (fx + 0.5) * width / outW - 0.5, y0 + (fy + 0.5) * height / outH - 0.5};
  }
}
