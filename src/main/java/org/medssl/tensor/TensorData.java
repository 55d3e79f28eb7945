package org.medssl.tensor;

import java.util.Arrays;

/** A tensor's shape and fp32 values as plain Java data: what weights are stored as on disk. */
public record TensorData(long[] shape, float[] values) {

  public TensorData {
    long n = 1;
    for (long s : shape) {
      if (s < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      n *= s;
    }
    if (n != values.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
    }
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public String shapeString() {
    return Arrays.toString(shape);
  }

  public boolean sameShape(long[] other) {
    return Arrays.equals(shape, other);
  }
}
