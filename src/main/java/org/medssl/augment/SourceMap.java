package org.medssl.augment;

/**
 * Where each output voxel of a spatial transform comes from, in any dimension: a point of the
 * source image in voxel-centre index coordinates (voxel i at i), axes in tensor order ({y, x} for
 * slices, {z, y, x} for volumes). {@link Resample} reads the source there.
 */
@FunctionalInterface
public interface SourceMap {
  /** Writes into {@code source} the point that output voxel {@code out} (tensor order) samples. */
  void sourceOf(int[] out, double[] source);

  /**
   * An axis-aligned map (crops, resizes, flips: no rotation): the source coordinate along each
   * axis depends on the output index along that axis alone, which lets {@link Resample} find each
   * axis's taps once instead of once per voxel.
   */
  final class AxisAligned implements SourceMap {
    private final double[][] table;

    /** {@code table[axis][index]}: the source coordinate of output index {@code index} along {@code axis}. */
    public AxisAligned(double[][] table) {
      this.table = new double[table.length][];
      for (int a = 0; a < table.length; a++) {
        this.table[a] = table[a].clone();
      }
    }

    @Override
    public void sourceOf(int[] out, double[] source) {
      for (int a = 0; a < table.length; a++) {
        source[a] = table[a][out[a]];
      }
    }

    /** The coordinates along {@code axis} for an output of {@code size} there (which must be the table's). */
    double[] along(int axis, int size) {
      if (table.length <= axis || table[axis].length != size) {
        throw new IllegalArgumentException("the map has no axis " + axis + " of " + size + " outputs");
      }
      return table[axis];
    }
  }
}
