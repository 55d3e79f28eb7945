package org.medssl.image;

/**
 * Moves voxels from one grid to another through world coordinates: for each voxel of the target,
 * its world position, then the source's (continuous) index there. Linear for images, nearest for
 * label maps; outside the source, images read the fill value and labels background. Where the
 * two grids' voxel centres coincide (a reorientation, or the way back from one), nearest
 * neighbour is exact.
 */
public final class Resampling {
  /** Continuous indices this close to an integer are that integer: affine round-off, not a half-voxel. */
  private static final double SNAP = 1e-6;

  private Resampling() {}

  /** Trilinear interpolation of {@code src} at the voxel centres of {@code target}. */
  public static Volume linear(Volume src, Grid target, float fill) {
    Grid g = src.grid();
    float[] v = src.voxels();
    float[] out = new float[target.size()];
    forEachTargetVoxel(g, target, (n, x, y, z) -> out[n] = trilinear(v, g, x, y, z, fill));
    return new Volume(target, out);
  }

  /** Nearest-neighbour resampling of labels at the voxel centres of {@code target}. */
  public static LabelMap nearest(LabelMap src, Grid target) {
    Grid g = src.grid();
    int[] v = src.labels();
    int[] out = new int[target.size()];
    forEachTargetVoxel(g, target, (n, fx, fy, fz) -> {
      int x = (int) Math.round(fx);
      int y = (int) Math.round(fy);
      int z = (int) Math.round(fz);
      boolean inside = x >= 0 && y >= 0 && z >= 0 && x < g.nx() && y < g.ny() && z < g.nz();
      out[n] = inside ? v[g.index(x, y, z)] : 0;
    });
    return new LabelMap(target, out);
  }

  /** Receives each target voxel's index and its continuous position in the source's voxels. */
  private interface SourcePosition {
    void at(int targetIndex, double x, double y, double z);
  }

  private static void forEachTargetVoxel(Grid source, Grid target, SourcePosition visit) {
    Affine map = source.affine().inverse().compose(target.affine());
    int n = 0;
    for (int k = 0; k < target.nz(); k++) {
      for (int j = 0; j < target.ny(); j++) {
        for (int i = 0; i < target.nx(); i++) {
          double[] p = map.apply(i, j, k);
          visit.at(n++, snap(p[0]), snap(p[1]), snap(p[2]));
        }
      }
    }
  }

  private static double snap(double x) {
    double r = Math.rint(x);
    return Math.abs(x - r) < SNAP ? r : x;
  }

  private static float trilinear(float[] v, Grid g, double x, double y, double z, float fill) {
    if (x < -0.5 || y < -0.5 || z < -0.5 || x > g.nx() - 0.5 || y > g.ny() - 0.5 || z > g.nz() - 0.5) {
      return fill;
    }
    // Within half a voxel of the border: clamp, as the border voxel extends to its edge.
    x = clamp(x, g.nx());
    y = clamp(y, g.ny());
    z = clamp(z, g.nz());
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    int z0 = (int) Math.floor(z);
    int x1 = Math.min(x0 + 1, g.nx() - 1);
    int y1 = Math.min(y0 + 1, g.ny() - 1);
    int z1 = Math.min(z0 + 1, g.nz() - 1);
    double fx = x - x0;
    double fy = y - y0;
    double fz = z - z0;
    double c00 = v[g.index(x0, y0, z0)] * (1 - fx) + v[g.index(x1, y0, z0)] * fx;
    double c10 = v[g.index(x0, y1, z0)] * (1 - fx) + v[g.index(x1, y1, z0)] * fx;
    double c01 = v[g.index(x0, y0, z1)] * (1 - fx) + v[g.index(x1, y0, z1)] * fx;
    double c11 = v[g.index(x0, y1, z1)] * (1 - fx) + v[g.index(x1, y1, z1)] * fx;
    double c0 = c00 * (1 - fy) + c10 * fy;
    double c1 = c01 * (1 - fy) + c11 * fy;
    return (float) (c0 * (1 - fz) + c1 * fz);
  }

  private static double clamp(double x, int n) {
    return Math.max(0, Math.min(n - 1, x));
  }
}
