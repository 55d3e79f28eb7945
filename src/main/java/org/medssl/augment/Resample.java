package org.medssl.augment;

/** Applies a {@link SpatialParams} to a slice: bilinear for images, nearest for labels. */
public final class Resample {
  private Resample() {}

  /**
   * Resamples {@code in} onto an {@code outH x outW} grid. Pixels mapping outside the source take
   * the image minimum (the background of a normalised MR slice) and label 0.
   */
  public static Slice2d apply(Slice2d in, SpatialParams p, int outH, int outW) {
    return apply(in, p.on(outH, outW, in.h(), in.w()), outH, outW);
  }

  /** Resamples {@code in} through any source map onto an {@code outH x outW} grid. */
  public static Slice2d apply(Slice2d in, SourceMap map, int outH, int outW) {
    int h = in.h();
    int w = in.w();
    float fill = min(in.image());
    float[] img = new float[outH * outW];
    int[] lab = in.labels() == null ? null : new int[outH * outW];
    for (int oy = 0; oy < outH; oy++) {
      for (int ox = 0; ox < outW; ox++) {
        double[] s = map.sourceOf(ox, oy);
        int o = oy * outW + ox;
        img[o] = bilinear(in.image(), h, w, s[0], s[1], fill);
        if (lab != null) {
          int nx = (int) Math.round(s[0]);
          int ny = (int) Math.round(s[1]);
          lab[o] = nx >= 0 && ny >= 0 && nx < w && ny < h ? in.labels()[ny * w + nx] : 0;
        }
      }
    }
    return new Slice2d(img, lab, outH, outW);
  }

  private static float bilinear(float[] src, int h, int w, double x, double y, float fill) {
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    double fx = x - x0;
    double fy = y - y0;
    double v00 = at(src, h, w, x0, y0, fill);
    double v10 = at(src, h, w, x0 + 1, y0, fill);
    double v01 = at(src, h, w, x0, y0 + 1, fill);
    double v11 = at(src, h, w, x0 + 1, y0 + 1, fill);
    return (float) ((v00 * (1 - fx) + v10 * fx) * (1 - fy) + (v01 * (1 - fx) + v11 * fx) * fy);
  }

  private static float at(float[] src, int h, int w, int x, int y, float fill) {
    return x >= 0 && y >= 0 && x < w && y < h ? src[y * w + x] : fill;
  }

  private static float min(float[] v) {
    float m = Float.POSITIVE_INFINITY;
    for (float x : v) {
      m = Math.min(m, x);
    }
    return m;
  }
}
