package org.medssl.image;

/**
 * A 3D intensity image: float voxels (x fastest) on a {@link Grid}. Treated as immutable: every
 * operation returns a new volume and never writes into {@code voxels}.
 */
public record Volume(Grid grid, float[] voxels) {

  public Volume {
    if (voxels.length != grid.size()) {
      throw new IllegalArgumentException(
          "volume of " + grid.shapeString() + " needs " + grid.size() + " voxels, got " + voxels.length);
    }
  }

  public float get(int x, int y, int z) {
    return voxels[grid.index(x, y, z)];
  }

  /** NaN and infinite voxels: converters produce them; normalisation treats them as the low clip value. */
  public long nonFiniteCount() {
    long n = 0;
    for (float v : voxels) {
      if (!Float.isFinite(v)) {
        n++;
      }
    }
    return n;
  }
}
