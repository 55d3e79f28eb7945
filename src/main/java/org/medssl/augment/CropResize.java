package org.medssl.augment;

/**
 * Crops a box out of an image and resizes it to a new shape with linear interpolation
 * (trilinear for volumes, bilinear for slices), one axis at a time.
 *
 * <p>Output voxel k along an axis samples the box at its own centre: source voxel-edge coordinate
 * {@code origin + (k + 0.5) size / out}, i.e. index coordinate minus one half, as PyTorch's
 * {@code interpolate(align_corners=False)} and {@link ViewGeometry#sourceIndex} do. Inside the image's
 * extent {@code [0, n]} the coordinate is clamped to the outermost voxel centres; points outside
 * the image read as the image minimum (the background of normalised scans).
 *
 * <p>Axis-aligned scaling makes trilinear interpolation separable: resampling x, then y, then z
 * gives exactly the trilinear value (a point outside on any axis reads the fill value either way),
 * at a fraction of the cost of eight taps per output voxel. It runs on the loader thread every step.
 */
public final class CropResize {
  private CropResize() {}

  /** The box of {@code in} resized to {@code out} voxels (both in the image's tensor order). */
  public static DenseImage apply(DenseImage in, CropBox box, int[] out) {
    return apply(in, box, out, in.min());
  }

  /** As {@link #apply(DenseImage, CropBox, int[])} with points outside reading {@code fill} (saves a pass over a large image). */
  public static DenseImage apply(DenseImage in, CropBox box, int[] out, float fill) {
    if (box.dims() != in.dims() || out.length != in.dims()) {
      throw new IllegalArgumentException("box, output and image have different numbers of axes");
    }
    int[] src = in.shape3();
    int[] dst = in.dims() == 3 ? out.clone() : new int[] {1, out[0], out[1]};
    int offset = 3 - in.dims();
    Taps[] taps = new Taps[3];
    for (int a = 0; a < 3; a++) {
      taps[a] = a < offset ? Taps.whole(src[a]) : Taps.of(box.start(a - offset), box.size()[a - offset], dst[a], src[a]);
    }
    float[] values = resize(in.values(), src, dst, taps, fill);
    return new DenseImage(values, out);
  }

  /**
   * The same box of a label map resized by nearest neighbour (each output voxel takes the label of
   * the source voxel its centre falls in), so labels stay aligned with {@link #apply}'s image;
   * centres outside the image read as background 0.
   */
  public static int[] nearest(int[] labels, int[] shape, CropBox box, int[] out) {
    if (box.dims() != shape.length || out.length != shape.length) {
      throw new IllegalArgumentException("box, output and label map have different numbers of axes");
    }
    int n = shape.length;
    int[][] index = new int[n][];
    for (int a = 0; a < n; a++) {
      index[a] = new int[out[a]];
      double step = box.size()[a] / out[a];
      for (int k = 0; k < out[a]; k++) {
        double c = box.start(a) + (k + 0.5) * step;
        index[a][k] = c < 0 || c >= shape[a] ? -1 : (int) c;
      }
    }
    int[] s = n == 3 ? shape : new int[] {1, shape[0], shape[1]};
    int[][] idx = n == 3 ? index : new int[][] {{0}, index[0], index[1]};
    int[] result = new int[idx[0].length * idx[1].length * idx[2].length];
    int i = 0;
    for (int z : idx[0]) {
      for (int y : idx[1]) {
        for (int x : idx[2]) {
          result[i++] = z < 0 || y < 0 || x < 0 ? 0 : labels[(z * s[1] + y) * s[2] + x];
        }
      }
    }
    return result;
  }

  private static float[] resize(float[] v, int[] src, int[] dst, Taps[] taps, float fill) {
    int zFrom = taps[0].first;
    int zn = taps[0].last - zFrom + 1;
    int yFrom = taps[1].first;
    int yn = taps[1].last - yFrom + 1;
    int ny = src[1];
    int nx = src[2];
    int ox = dst[2];
    int oy = dst[1];
    // x: rows (z, y) of the needed source region -> (zn, yn, ox)
    float[] rx = new float[zn * yn * ox];
    for (int z = 0; z < zn; z++) {
      for (int y = 0; y < yn; y++) {
        int row = ((zFrom + z) * ny + yFrom + y) * nx;
        taps[2].line(v, row, 1, rx, (z * yn + y) * ox, 1, fill);
      }
    }
    // y: -> (zn, oy, ox); the needed rows start at yFrom
    float[] ry = new float[zn * oy * ox];
    for (int z = 0; z < zn; z++) {
      for (int x = 0; x < ox; x++) {
        taps[1].line(rx, z * yn * ox + x - yFrom * ox, ox, ry, z * oy * ox + x, ox, fill);
      }
    }
    // z: -> (oz, oy, ox)
    int plane = oy * ox;
    float[] out = new float[dst[0] * plane];
    for (int i = 0; i < plane; i++) {
      taps[0].line(ry, i - zFrom * plane, plane, out, i, plane, fill);
    }
    return out;
  }

  /**
   * Per output index along one axis: the two source indices, the weight of the upper one, and
   * whether the point is outside the image; {@code first..last} are the source indices used.
   */
  private record Taps(int[] lo, int[] hi, float[] w, boolean[] outside, int first, int last) {
    static Taps of(double origin, double size, int out, int n) {
      int[] lo = new int[out];
      int[] hi = new int[out];
      float[] w = new float[out];
      boolean[] outside = new boolean[out];
      int first = n - 1;
      int last = 0;
      for (int k = 0; k < out; k++) {
        double c = origin + (k + 0.5) * size / out - 0.5;
        if (c < -0.5 || c > n - 0.5) {
          outside[k] = true;
          continue;
        }
        c = Math.min(n - 1, Math.max(0, c));
        lo[k] = (int) Math.floor(c);
        hi[k] = Math.min(lo[k] + 1, n - 1);
        w[k] = (float) (c - lo[k]);
        first = Math.min(first, lo[k]);
        last = Math.max(last, hi[k]);
      }
      if (first > last) { // every point outside: keep one valid (unused) source index
        first = 0;
        last = 0;
      }
      return new Taps(lo, hi, w, outside, first, last);
    }

    /** An axis kept as it is (the depth of a slice). */
    static Taps whole(int n) {
      int[] idx = new int[n];
      for (int i = 0; i < n; i++) {
        idx[i] = i;
      }
      return new Taps(idx, idx.clone(), new float[n], new boolean[n], 0, n - 1);
    }

    /**
     * Resamples one line: source index i is {@code src[srcBase + i * srcStride]} (callers shift
     * the base so that only indices first..last are ever read), output k goes to
     * {@code dst[dstBase + k * dstStride]}.
     */
    void line(float[] src, int srcBase, int srcStride, float[] dst, int dstBase, int dstStride, float fill) {
      for (int k = 0; k < lo.length; k++) {
        float value;
        if (outside[k]) {
          value = fill;
        } else {
          float a = src[srcBase + lo[k] * srcStride];
          float b = src[srcBase + hi[k] * srcStride];
          value = a + w[k] * (b - a);
        }
        dst[dstBase + k * dstStride] = value;
      }
    }
  }
}
