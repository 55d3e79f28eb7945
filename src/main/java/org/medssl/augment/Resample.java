package org.medssl.augment;

/**
 * The one resampler of the view stack, for slices and volumes alike (a slice is a volume of depth
 * one whose depth is never interpolated): an image through any {@link SourceMap} with linear
 * interpolation (bilinear, trilinear), its label map through the same map by nearest neighbour, so
 * the two stay aligned. Fine-tuning's similarity transforms ({@link SpatialParams}), pretext crops
 * and flips ({@link ViewGeometry}) and 3D zooms all come here.
 *
 * <p>Points within the image's extent ({@code [-0.5, n - 0.5]} along every axis, the outer voxels'
 * edges) are clamped to the outermost voxel centres, as {@code interpolate(align_corners=False)}
 * does when it resizes; points beyond read {@code fill} (the image minimum: the background of a
 * normalised scan) and label 0 (a label is read where the point rounds to, so a point exactly on
 * the far edge, {@code n - 0.5}, reads 0). Weights and sums are in double precision, rounded once
 * per voxel.
 */
public final class Resample {
  private Resample() {}

  /** {@code in} sampled through {@code map} onto an {@code out}-shaped grid (tensor order). */
  public static DenseImage linear(DenseImage in, SourceMap map, int[] out, float fill) {
    if (out.length != in.dims()) {
      throw new IllegalArgumentException("output and image have different numbers of axes");
    }
    int[] s = in.shape3();
    int[] o = in.dims() == 3 ? out.clone() : new int[] {1, out[0], out[1]};
    boolean volume = in.dims() == 3;
    Axis[] axes = map instanceof SourceMap.AxisAligned aligned ? Axis.of(aligned, out, s, volume) : null;
    int[] index = new int[out.length];
    double[] point = new double[out.length];
    float[] v = in.values();
    float[] result = new float[o[0] * o[1] * o[2]];
    Taps t = new Taps();
    double[] p = new double[3];
    int i = 0;
    for (int z = 0; z < o[0]; z++) {
      for (int y = 0; y < o[1]; y++) {
        for (int x = 0; x < o[2]; x++, i++) {
          boolean inside;
          if (axes != null) {
            inside = t.take(axes, z, y, x);
          } else {
            index[index.length - 1] = x;
            index[index.length - 2] = y;
            if (volume) {
              index[0] = z;
            }
            map.sourceOf(index, point);
            System.arraycopy(point, 0, p, 3 - point.length, point.length);
            inside = t.at(p, s, volume);
          }
          result[i] = inside ? t.interpolate(v, s, volume) : fill;
        }
      }
    }
    return new DenseImage(result, out);
  }

  /** The label map of an image of {@code shape} sampled through {@code map} by nearest neighbour. */
  public static int[] nearest(int[] labels, int[] shape, SourceMap map, int[] out) {
    if (out.length != shape.length) {
      throw new IllegalArgumentException("output and label map have different numbers of axes");
    }
    int n = shape.length;
    int count = 1;
    for (int o : out) {
      count *= o;
    }
    int[] result = new int[count];
    int[] index = new int[n];
    double[] point = new double[n];
    for (int i = 0; i < count; i++) {
      map.sourceOf(index, point);
      int flat = 0;
      for (int a = 0; a < n && flat >= 0; a++) {
        long k = Math.round(point[a]);
        flat = k < 0 || k >= shape[a] ? -1 : flat * shape[a] + (int) k;
      }
      result[i] = flat < 0 ? 0 : labels[flat];
      for (int a = n - 1; a >= 0 && ++index[a] == out[a]; a--) { // the next voxel, row-major
        index[a] = 0;
      }
    }
    return result;
  }

  /** A slice and its labels through {@code map}, outside read as the slice's minimum and label 0. */
  public static Slice2d apply(Slice2d in, SourceMap map, int outH, int outW) {
    DenseImage image = DenseImage.of(in);
    int[] out = {outH, outW};
    return new Slice2d(linear(image, map, out, image.min()).values(),
        in.labels() == null ? null : nearest(in.labels(), image.shape(), map, out), outH, outW);
  }

  /** A slice through a fine-tuning similarity transform. */
  public static Slice2d apply(Slice2d in, SpatialParams p, int outH, int outW) {
    return apply(in, p.on(outH, outW, in.h(), in.w()), outH, outW);
  }

  /** One axis's taps of an axis-aligned map, per output index: found once, used for every voxel. */
  private record Axis(int[] lo, int[] hi, double[] w, boolean[] inside) {
    static Axis[] of(SourceMap.AxisAligned map, int[] out, int[] s, boolean volume) {
      int n = out.length;
      Axis[] axes = new Axis[3];
      axes[0] = volume ? along(map.along(0, out[0]), s[0]) : new Axis(new int[1], new int[1], new double[1],
          new boolean[] {true});
      axes[1] = along(map.along(n - 2, out[n - 2]), s[1]);
      axes[2] = along(map.along(n - 1, out[n - 1]), s[2]);
      return axes;
    }

    private static Axis along(double[] coordinates, int n) {
      int count = coordinates.length;
      Axis axis = new Axis(new int[count], new int[count], new double[count], new boolean[count]);
      Taps t = new Taps();
      for (int k = 0; k < count; k++) {
        axis.inside[k] = t.set(2, coordinates[k], n);
        axis.lo[k] = t.lo[2];
        axis.hi[k] = t.hi[2];
        axis.w[k] = t.w[2];
      }
      return axis;
    }
  }

  /** The two neighbours and the upper one's weight along each axis (z, y, x) of one point. */
  private static final class Taps {
    private final int[] lo = new int[3];
    private final int[] hi = new int[3];
    private final double[] w = new double[3];

    /** Finds the taps of {@code p}; false when it lies beyond the image (z only counts for volumes). */
    boolean at(double[] p, int[] s, boolean volume) {
      for (int a = volume ? 0 : 1; a < 3; a++) {
        if (!set(a, p[a], s[a])) {
          return false;
        }
      }
      return true;
    }

    /** The taps of coordinate {@code c} along axis {@code a} of {@code n} voxels; false beyond the image. */
    boolean set(int a, double c, int n) {
      if (c < -0.5 || c > n - 0.5) {
        return false;
      }
      double clamped = Math.min(n - 1, Math.max(0, c));
      lo[a] = (int) Math.floor(clamped);
      hi[a] = Math.min(lo[a] + 1, n - 1);
      w[a] = clamped - lo[a];
      return true;
    }

    /** Takes output voxel (z, y, x)'s taps from the axes' tables; false when it lies beyond the image. */
    boolean take(Axis[] axes, int z, int y, int x) {
      return take(axes[0], 0, z) && take(axes[1], 1, y) && take(axes[2], 2, x);
    }

    private boolean take(Axis axis, int a, int k) {
      lo[a] = axis.lo[k];
      hi[a] = axis.hi[k];
      w[a] = axis.w[k];
      return axis.inside[k];
    }

    float interpolate(float[] v, int[] s, boolean volume) {
      double near = plane(v, s, lo[0]);
      return (float) (volume ? near * (1 - w[0]) + plane(v, s, hi[0]) * w[0] : near);
    }

    /** Bilinear in the (y, x) plane {@code z}: along x first, then y. */
    private double plane(float[] v, int[] s, int z) {
      int row0 = (z * s[1] + lo[1]) * s[2];
      int row1 = (z * s[1] + hi[1]) * s[2];
      double v00 = v[row0 + lo[2]];
      double v10 = v[row0 + hi[2]];
      double v01 = v[row1 + lo[2]];
      double v11 = v[row1 + hi[2]];
      double fx = w[2];
      double fy = w[1];
      return (v00 * (1 - fx) + v10 * fx) * (1 - fy) + (v01 * (1 - fx) + v11 * fx) * fy;
    }
  }
}
