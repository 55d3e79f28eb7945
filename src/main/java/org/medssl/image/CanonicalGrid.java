package org.medssl.image;

/**
 * The grid a scan is brought to before training: its voxel axes permuted and flipped so they run
 * Right, Anterior, Superior (nibabel's "closest canonical"; oblique directions are kept, only
 * their order and sign change), optionally with another spacing over the same physical extent,
 * centred on the same point. With the original spacing, every voxel centre of the canonical grid
 * is a voxel centre of the original, so going there and back loses nothing.
 */
public final class CanonicalGrid {
  private CanonicalGrid() {}

  /**
   * @param spacingMm the target spacing per canonical axis (R, A, S); null or a non-positive
   *     entry keeps the spacing the original has along that axis
   */
  public static Grid of(Grid src, double[] spacingMm) {
    String codes = Orientation.axisCodes(src.affine());
    int[] axisOf = new int[3]; // canonical axis d <- source voxel axis axisOf[d]
    double[] sign = new double[3];
    for (int a = 0; a < 3; a++) {
      int code = "RLAPSI".indexOf(codes.charAt(a));
      if (code < 0) {
        throw new IllegalArgumentException("degenerate affine (axis codes " + codes + ")");
      }
      int d = code / 2;
      axisOf[d] = a;
      sign[d] = "RAS".indexOf(codes.charAt(a)) >= 0 ? 1 : -1;
    }
    Affine a = src.affine();
    double[] norms = a.columnNorms();
    int[] n = new int[3];
    double[] spacing = new double[3];
    double[][] cols = new double[3][3];
    for (int d = 0; d < 3; d++) {
      int s = axisOf[d];
      double oldSpacing = norms[s];
      spacing[d] = spacingMm != null && spacingMm[d] > 0 ? spacingMm[d] : oldSpacing;
      n[d] = Math.max(1, (int) Math.round(src.dim(s) * oldSpacing / spacing[d]));
      for (int r = 0; r < 3; r++) {
        cols[d][r] = a.get(r, s) / oldSpacing * sign[d] * spacing[d];
      }
    }
    double[] centre = a.apply((src.nx() - 1) / 2.0, (src.ny() - 1) / 2.0, (src.nz() - 1) / 2.0);
    double[] m = new double[16];
    for (int r = 0; r < 3; r++) {
      double origin = centre[r];
      for (int d = 0; d < 3; d++) {
        m[r * 4 + d] = cols[d][r];
        origin -= cols[d][r] * (n[d] - 1) / 2.0;
      }
      m[r * 4 + 3] = origin;
    }
    m[15] = 1;
    return new Grid(n[0], n[1], n[2], spacing, new Affine(m));
  }
}
