package org.medssl.image;

import java.util.Arrays;

/**
 * Where voxels sit: the 3D shape (x fastest, as NIfTI stores them), spacing in millimetres and the
 * voxel-to-world affine. A tensor view of the same voxels has shape (z, y, x).
 */
public record Grid(int nx, int ny, int nz, double[] spacingMm, Affine affine) {

  public Grid {
    if (nx <= 0 || ny <= 0 || nz <= 0) {
      throw new IllegalArgumentException("grid dimensions must be positive: " + nx + "x" + ny + "x" + nz);
    }
    if ((long) nx * ny * nz > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("grid too large for one array: " + nx + "x" + ny + "x" + nz);
    }
    if (spacingMm.length != 3) {
      throw new IllegalArgumentException("spacing needs 3 values");
    }
    spacingMm = spacingMm.clone();
  }

  /** Grid with diagonal affine built from the spacing. */
  public static Grid of(int nx, int ny, int nz, double sx, double sy, double sz) {
    return new Grid(nx, ny, nz, new double[] {sx, sy, sz}, Affine.ofSpacing(sx, sy, sz));
  }

  public int size() {
    return nx * ny * nz;
  }

  public int index(int x, int y, int z) {
    return x + nx * (y + ny * z);
  }

  /** Size along axis 0 (x), 1 (y) or 2 (z). */
  public int dim(int axis) {
    return switch (axis) {
      case 0 -> nx;
      case 1 -> ny;
      case 2 -> nz;
      default -> throw new IllegalArgumentException("axis must be 0, 1 or 2: " + axis);
    };
  }

  @Override
  public double[] spacingMm() {
    return spacingMm.clone();
  }

  public double spacing(int axis) {
    return spacingMm[axis];
  }

  /** Same shape and spacing, affine equal within 1e-4 mm. */
  public boolean sameGeometry(Grid other) {
    return nx == other.nx && ny == other.ny && nz == other.nz
        && Arrays.equals(round(spacingMm), round(other.spacingMm))
        && affine.approxEquals(other.affine, 1e-4);
  }

  private static long[] round(double[] v) {
    return Arrays.stream(v).mapToLong(d -> Math.round(d * 1e4)).toArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Grid g && nx == g.nx && ny == g.ny && nz == g.nz
        && Arrays.equals(spacingMm, g.spacingMm) && affine.equals(g.affine);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new int[] {nx, ny, nz}) * 31 + affine.hashCode();
  }

  public String shapeString() {
    return nx + "x" + ny + "x" + nz;
  }
}
