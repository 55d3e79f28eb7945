package org.medssl.nn;

/** Spatial dimensionality of a network: 2D slices or 3D volumes. */
public enum Dims {
  TWO(2),
  THREE(3);

  private final int count;

  Dims(int count) {
    this.count = count;
  }

  public int count() {
    return count;
  }

  public static Dims of(int count) {
    return switch (count) {
      case 2 -> TWO;
      case 3 -> THREE;
      default -> throw new IllegalArgumentException("dims must be 2 or 3, got " + count);
    };
  }
}
