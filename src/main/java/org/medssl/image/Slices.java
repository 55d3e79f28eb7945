package org.medssl.image;

/**
 * 2D slices of 3D images. A slice along axis {@code a} keeps the two other axes, the lower-numbered
 * one fastest: along z (axis 2) a slice is rows of y, columns of x, as a tensor {@code (H=ny, W=nx)}.
 */
public final class Slices {
  private Slices() {}

  /** Number of slices along {@code axis}. */
  public static int count(Grid g, int axis) {
    return g.dim(axis);
  }

  /** Height and width of a slice along {@code axis}. */
  public static int[] sliceShape(Grid g, int axis) {
    int[] in = inPlaneAxes(axis);
    return new int[] {g.dim(in[1]), g.dim(in[0])};
  }

  public static float[] slice(Volume v, int axis, int index) {
    Grid g = v.grid();
    float[] out = new float[sliceSize(g, axis)];
    forEachVoxel(g, axis, index, (o, i) -> out[o] = v.voxels()[i]);
    return out;
  }

  public static int[] slice(LabelMap m, int axis, int index) {
    Grid g = m.grid();
    int[] out = new int[sliceSize(g, axis)];
    forEachVoxel(g, axis, index, (o, i) -> out[o] = m.labels()[i]);
    return out;
  }

  /** Writes a slice back into a label array laid out on {@code g}. */
  public static void put(Grid g, int[] target, int axis, int index, int[] slice) {
    forEachVoxel(g, axis, index, (o, i) -> target[i] = slice[o]);
  }

  private static int sliceSize(Grid g, int axis) {
    int[] s = sliceShape(g, axis);
    return s[0] * s[1];
  }

  /** The in-plane axes of a slice along {@code axis}: {fast, slow}. */
  static int[] inPlaneAxes(int axis) {
    return switch (axis) {
      case 0 -> new int[] {1, 2};
      case 1 -> new int[] {0, 2};
      case 2 -> new int[] {0, 1};
      default -> throw new IllegalArgumentException("axis must be 0, 1 or 2: " + axis);
    };
  }

  private interface VoxelVisitor {
    void visit(int sliceOffset, int volumeIndex);
  }

  private static void forEachVoxel(Grid g, int axis, int index, VoxelVisitor visitor) {
    if (index < 0 || index >= g.dim(axis)) {
      throw new IndexOutOfBoundsException("slice " + index + " of " + g.dim(axis) + " along axis " + axis);
    }
    int[] in = inPlaneAxes(axis);
    int nFast = g.dim(in[0]);
    int nSlow = g.dim(in[1]);
    int[] xyz = new int[3];
    xyz[axis] = index;
    int o = 0;
    for (int s = 0; s < nSlow; s++) {
      xyz[in[1]] = s;
      for (int f = 0; f < nFast; f++) {
        xyz[in[0]] = f;
        visitor.visit(o++, g.index(xyz[0], xyz[1], xyz[2]));
      }
    }
  }
}
