package org.medssl.augment;

import java.util.Arrays;

/**
 * Where a view came from, in any dimension: the crop {@code box} of the source image
 * (voxel-edge coordinates), resized to {@code outSize}, then flipped along the axes marked in
 * {@code flips}. Axes are in tensor order (slowest first: {y, x} for slices, {z, y, x} for
 * volumes). Two views of one image are related through their geometries.
 */
public record ViewGeometry(CropBox box, boolean[] flips, int[] outSize) {
  public ViewGeometry {
    int d = box.dims();
    if (flips.length != d || outSize.length != d) {
      throw new IllegalArgumentException("geometry arrays of different lengths");
    }
    for (int s : outSize) {
      if (s <= 0) {
        throw new IllegalArgumentException("empty output " + Arrays.toString(outSize));
      }
    }
    flips = flips.clone();
    outSize = outSize.clone();
  }

  /** The crop {@code [origin, origin + size)}. */
  public ViewGeometry(double[] origin, double[] size, boolean[] flips, int[] outSize) {
    this(new CropBox(origin, size), flips, outSize);
  }

  public int dims() {
    return box.dims();
  }

  public double[] origin() {
    return box.origin();
  }

  public double[] size() {
    return box.size();
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
    return "ViewGeometry[" + box + ", flips=" + Arrays.toString(flips) + ", out=" + Arrays.toString(outSize) + "]";
  }
}
