package org.medssl.augment;

import java.util.Arrays;
import org.medssl.image.Volume;

/**
 * A single-channel image as a tensor will hold it: row-major values of {@code shape} in tensor
 * order ({h, w} for slices, {d, h, w} for volumes, slowest axis first). The common currency of the
 * dimension-independent view chain ({@link PglViewRecipe}), so one implementation serves 2D and 3D.
 */
public record DenseImage(float[] values, int[] shape) {
  public DenseImage {
    if (shape.length != 2 && shape.length != 3) {
      throw new IllegalArgumentException("an image has 2 or 3 axes, got " + Arrays.toString(shape));
    }
    long n = 1;
    for (int s : shape) {
      if (s <= 0) {
        throw new IllegalArgumentException("empty image " + Arrays.toString(shape));
      }
      n *= s;
    }
    if (n != values.length) {
      throw new IllegalArgumentException("image " + Arrays.toString(shape) + " needs " + n + " values, got "
          + values.length);
    }
    shape = shape.clone();
  }

  /** A volume's voxels: its grid is x-fastest, which is already row-major (z, y, x); no copy. */
  public static DenseImage of(Volume v) {
    return new DenseImage(v.voxels(), new int[] {v.grid().nz(), v.grid().ny(), v.grid().nx()});
  }

  public static DenseImage of(Slice2d s) {
    return new DenseImage(s.image(), new int[] {s.h(), s.w()});
  }

  public int dims() {
    return shape.length;
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** The shape as three axes: a slice is a volume of depth 1, so every operation is written once. */
  int[] shape3() {
    return shape.length == 3 ? shape.clone() : new int[] {1, shape[0], shape[1]};
  }

  public float min() {
    float m = Float.POSITIVE_INFINITY;
    for (float v : values) {
      m = Math.min(m, v);
    }
    return m;
  }

  public float max() {
    float m = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      m = Math.max(m, v);
    }
    return m;
  }

  /** Same shape, new values. */
  DenseImage with(float[] newValues) {
    return new DenseImage(newValues, shape);
  }
}
