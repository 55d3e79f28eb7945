package org.medssl.metrics;

import org.medssl.image.Grid;

/**
 * Surface (boundary) voxels of a binary mask.
 *
 * <p>A voxel is on the surface if it is in the mask and not in the mask's binary erosion by the
 * 3D cross (6-connectivity) structuring element, i.e. at least one of its face neighbours is
 * background. Voxels outside the image count as background, so a mask touching the image border
 * has a surface there (SciPy {@code binary_erosion(..., border_value=0)}; MONAI's
 * {@code get_mask_edges} and medpy use the same idea).
 *
 * <p>Axes of length 1 are not eroded along: a single-slice grid is treated as a 2D image with
 * the 2D cross (4-connectivity), as MONAI does for 2D inputs; otherwise every pixel of a 2D mask
 * would be "surface" because of the two missing neighbour slices. A 3D volume whose mask occupies
 * one slice is still a 3D object, and all its voxels are surface.
 */
public final class Surface {

  private Surface() {}

  /** The surface voxels of {@code mask} on {@code grid} (x fastest). */
  public static boolean[] of(boolean[] mask, Grid grid) {
    if (mask.length != grid.size()) {
      throw new IllegalArgumentException(
          "mask of " + mask.length + " voxels on a " + grid.shapeString() + " grid");
    }
    int nx = grid.nx();
    int ny = grid.ny();
    int nz = grid.nz();
    boolean[] surface = new boolean[mask.length];
    int i = 0;
    for (int z = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++, i++) {
          surface[i] = mask[i]
              && (exposed(mask, i, x, nx, 1)
                  || exposed(mask, i, y, ny, nx)
                  || exposed(mask, i, z, nz, nx * ny));
        }
      }
    }
    return surface;
  }

  /** True if a neighbour of voxel i along one axis (coordinate c of n, stride) is background. */
  private static boolean exposed(boolean[] mask, int i, int c, int n, int stride) {
    if (n == 1) {
      return false; // degenerate axis: no neighbours to lose
    }
    return c == 0 || c == n - 1 || !mask[i - stride] || !mask[i + stride];
  }
}
