package org.medssl.image;

/**
 * A block of whole slices along z (axis 2), cut out of a volume with its place in the world kept:
 * the affine's origin moves to the first slice, so the slab lies exactly where it was.
 */
public final class Slab {
  private Slab() {}

  /** Slices {@code from} (inclusive) to {@code to} (exclusive) along z. */
  public static Grid grid(Grid g, int from, int to) {
    if (from < 0 || to > g.nz() || from >= to) {
      throw new IllegalArgumentException("slab " + from + ".." + to + " outside 0.." + g.nz());
    }
    double[] m = g.affine().rowMajor();
    double[] origin = g.affine().apply(0, 0, from);
    for (int r = 0; r < 3; r++) {
      m[r * 4 + 3] = origin[r];
    }
    return new Grid(g.nx(), g.ny(), to - from, g.spacingMm(), new Affine(m));
  }

  public static Volume of(Volume v, int from, int to) {
    Grid slab = grid(v.grid(), from, to);
    float[] out = new float[slab.size()];
    System.arraycopy(v.voxels(), from * v.grid().nx() * v.grid().ny(), out, 0, out.length);
    return new Volume(slab, out);
  }

  public static LabelMap of(LabelMap l, int from, int to) {
    Grid slab = grid(l.grid(), from, to);
    int[] out = new int[slab.size()];
    System.arraycopy(l.labels(), from * l.grid().nx() * l.grid().ny(), out, 0, out.length);
    return new LabelMap(slab, out);
  }
}
