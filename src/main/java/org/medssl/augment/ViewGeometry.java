package org.medssl.augment;

import java.util.Arrays;
import java.util.Objects;

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

  /** The whole {@code h x w} slice, unflipped, at its own size. */
  public static ViewGeometry wholeSlice(int h, int w) {
    return new ViewGeometry(new double[] {0, 0}, new double[] {h, w}, new boolean[] {false, false}, new int[] {h, w});
  }

  public int dims() {
    return box.dims();
  }

  /**
   * Where output index {@code k} along {@code axis} comes from, in the source's voxel-centre
   * coordinates: undo the flip, then map the output cell's centre into the crop (what
   * {@code interpolate(align_corners=False)} does when it resizes).
   */
  public double sourceIndex(int axis, double k) {
    double f = flips[axis] ? outSize[axis] - 1 - k : k;
    return box.origin()[axis] + (f + 0.5) * box.size()[axis] / outSize[axis] - 0.5;
  }

  /**
   * This view as a map for {@link Resample}: crop, resize and flips in one. The axes are
   * independent, so each axis's source indices are taken once here.
   */
  public SourceMap map() {
    double[][] table = new double[dims()][];
    for (int a = 0; a < table.length; a++) {
      table[a] = new double[outSize[a]];
      for (int k = 0; k < outSize[a]; k++) {
        table[a][k] = sourceIndex(a, k);
      }
    }
    return new SourceMap.AxisAligned(table);
  }

  /** The view's pixels of {@code source}: outside the image, its minimum. */
  public DenseImage render(DenseImage source) {
    return Resample.linear(source, map(), outSize, source.min());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ViewGeometry g && Arrays.equals(g.box.origin(), box.origin())
        && Arrays.equals(g.box.size(), box.size()) && Arrays.equals(g.flips, flips) && Arrays.equals(g.outSize, outSize);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(box.origin()), Arrays.hashCode(box.size()), Arrays.hashCode(flips),
        Arrays.hashCode(outSize));
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
