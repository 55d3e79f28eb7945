package org.medssl.testkit;

import org.medssl.image.Affine;
import org.medssl.image.Grid;
import org.medssl.image.Volume;

/** The same voxels in world space, stored along other axes: what scanners and converters write. */
public final class Reoriented {
  private Reoriented() {}

  /** Stored with the x axis reversed (the affine's first column negated, the origin at the far end). */
  public static Volume flipX(Volume v) {
    Grid g = v.grid();
    double[] m = g.affine().rowMajor();
    double[] f = m.clone();
    for (int r = 0; r < 3; r++) {
      f[r * 4 + 3] = m[r * 4 + 3] + m[r * 4] * (g.nx() - 1);
      f[r * 4] = -m[r * 4];
    }
    float[] data = new float[g.size()];
    for (int i = 0; i < data.length; i++) {
      int x = i % g.nx();
      data[i] = v.voxels()[i - x + (g.nx() - 1 - x)];
    }
    return new Volume(new Grid(g.nx(), g.ny(), g.nz(), g.spacingMm(), new Affine(f)), data);
  }
}
