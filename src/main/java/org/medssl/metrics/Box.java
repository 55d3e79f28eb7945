package org.medssl.metrics;

import org.medssl.image.Grid;

/** An inclusive voxel box [x0, x1] × [y0, y1] × [z0, z1] inside a grid. */
record Box(int x0, int y0, int z0, int x1, int y1, int z1) {

  Box {
    if (x0 > x1 || y0 > y1 || z0 > z1) {
      throw new IllegalArgumentException("empty box");
    }
  }

  /**
   * The box grown by {@code margin} voxels on every side, clipped to {@code full}. With a margin of
   * at least 1, an axis of the box has length 1 only where the full grid's axis does, so the 2D
   * rule of {@link Surface} (length-1 axes are not eroded along) sees the same dimensionality.
   */
  Box grow(int margin, Grid full) {
    return new Box(Math.max(0, x0 - margin), Math.max(0, y0 - margin), Math.max(0, z0 - margin),
        Math.min(full.nx() - 1, x1 + margin), Math.min(full.ny() - 1, y1 + margin),
        Math.min(full.nz() - 1, z1 + margin));
  }

  /** The box as a grid of its own, with the full grid's spacing (the origin does not matter). */
  Grid grid(Grid full) {
    return Grid.of(x1 - x0 + 1, y1 - y0 + 1, z1 - z0 + 1,
        full.spacing(0), full.spacing(1), full.spacing(2));
  }

  /** The voxels of {@code label} inside the box, x fastest. */
  boolean[] mask(int[] labels, int label, Grid full) {
    boolean[] out = new boolean[(x1 - x0 + 1) * (y1 - y0 + 1) * (z1 - z0 + 1)];
    int k = 0;
    for (int z = z0; z <= z1; z++) {
      for (int y = y0; y <= y1; y++) {
        int row = full.index(0, y, z);
        for (int x = x0; x <= x1; x++) {
          out[k++] = labels[row + x] == label;
        }
      }
    }
    return out;
  }
}
