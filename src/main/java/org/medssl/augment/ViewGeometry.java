package org.medssl.augment;

import java.util.Arrays;

/**
 * Where a view came from, in any dimension: the crop box {@code [origin, origin + size)} of the
 * source image (voxel-edge coordinates), resized to {@code outSize}, then flipped along the axes
 * marked in {@code flips}. Axes are in tensor order (slowest first: {y, x} for slices, {z, y, x}
 * for volumes). Two views of one image are related through their geometries.
 */
public record ViewGeometry(double[] origin, double[] size, boolean[] flips, int[] outSize) {
  public ViewGeometry {
    int d = origin.length;
    if (size.length != d || flips.length != d || outSize.length != d) {
      throw new IllegalArgumentException("geometry arrays of different lengths");
    }
    for (int i = 0; i < d; i++) {
      if (!(size[i] > 0) || outSize[i] <= 0) {
        throw new IllegalArgumentException("empty crop or output");
      }
    }
    origin = origin.clone();
    size = size.clone();
    flips = flips.clone();
    outSize = outSize.clone();
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

  @Override
  public boolean[] flips() {
    return flips.clone();
  }

  @Override
  public int[] outSize() {
    return outSize.clone();
  }

  @Override
  public String toString() {
    return "ViewGeometry[origin=" + Arrays.toString(origin) + ", size=" + Arrays.toString(size) + ", flips="
        + Arrays.toString(flips) + ", out=" + Arrays.toString(outSize) + "]";
  }
}
