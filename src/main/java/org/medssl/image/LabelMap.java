package org.medssl.image;

/**
 * An integer label image (0 = background) on a {@link Grid}, x fastest. Treated as immutable.
 */
public record LabelMap(Grid grid, int[] labels) {

  public LabelMap {
    if (labels.length != grid.size()) {
      throw new IllegalArgumentException(
          "label map of " + grid.shapeString() + " needs " + grid.size() + " voxels, got " + labels.length);
    }
  }

  public int get(int x, int y, int z) {
    return labels[grid.index(x, y, z)];
  }

  /** The largest label value present (0 for an empty map). */
  public int maxLabel() {
    int max = 0;
    for (int v : labels) {
      max = Math.max(max, v);
    }
    return max;
  }
}
