package org.medssl.augment;

import java.util.Arrays;

/**
 * An axis-aligned box {@code [origin, origin + size)} in voxel-edge coordinates of a source image
 * (voxel i spans [i, i + 1)), axes in tensor order. The spatial part of a view before its flips.
 */
public record CropBox(double[] origin, double[] size) {
  public CropBox {
    if (origin.length != size.length) {
      throw new IllegalArgumentException("box arrays of different lengths");
    }
    for (double s : size) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("empty box " + Arrays.toString(size));
      }
    }
    origin = origin.clone();
    size = size.clone();
  }

  /** The crop a view was taken from. */
  public static CropBox of(ViewGeometry g) {
    return g.box();
  }

  public int dims() {
    return origin.length;
  }

  @Override
  public double[] origin() {
    return origin.clone();
  }

  @Override
  public double[] size() {
    return size.clone();
  }

  public double start(int axis) {
    return origin[axis];
  }

  public double end(int axis) {
    return origin[axis] + size[axis];
  }

  public double volume() {
    double v = 1;
    for (double s : size) {
      v *= s;
    }
    return v;
  }

  /** Volume of the intersection with {@code other} (0 when they do not meet). */
  public double intersectionVolume(CropBox other) {
    double v = 1;
    for (int i = 0; i < dims(); i++) {
      v *= Math.max(0, Math.min(end(i), other.end(i)) - Math.max(start(i), other.start(i)));
    }
    return v;
  }

  /**
   * PGL's overlap of two views: the shared volume as a fraction of the larger box, i.e. the
   * smaller of the fractions of each box that the other covers. "At least 10 %" therefore means
   * that at least 10 % of each view shows the shared region.
   */
  public double overlap(CropBox other) {
    return intersectionVolume(other) / Math.max(volume(), other.volume());
  }

  /** The view geometry of this crop resized to {@code outSize} and then flipped. */
  public ViewGeometry toGeometry(boolean[] flips, int[] outSize) {
    return new ViewGeometry(this, flips, outSize);
  }

  @Override
  public String toString() {
    return "CropBox[origin=" + Arrays.toString(origin) + ", size=" + Arrays.toString(size) + "]";
  }
}
