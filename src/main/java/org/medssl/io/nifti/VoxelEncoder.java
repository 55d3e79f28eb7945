package org.medssl.io.nifti;

import java.nio.ByteBuffer;

/**
 * Converts floats or ints to raw voxel bytes of one datatype, the inverse of {@link
 * VoxelDecoder}: stored = (value - inter) / slope, rounded to the nearest integer and clamped for
 * integer types.
 */
final class VoxelEncoder {

  private VoxelEncoder() {}

  /** Appends {@code count} floats from {@code src[from...]} to {@code dst}. */
  static void encode(float[] src, int from, int count, NiftiDataType type, double slope,
      double inter, ByteBuffer dst) {
    boolean identity = slope == 1 && inter == 0;
    if (type == NiftiDataType.FLOAT32 && identity) {
      dst.asFloatBuffer().put(src, from, count);
      dst.position(dst.position() + 4 * count);
      return;
    }
    for (int i = from; i < from + count; i++) {
      double v = identity ? src[i] : (src[i] - inter) / slope;
      switch (type) {
        case FLOAT32 -> dst.putFloat((float) v);
        case FLOAT64 -> dst.putDouble(v);
        default -> putInteger(dst, type, Math.round(clamp(v, type)));
      }
    }
  }

  /** Appends {@code count} ints from {@code src[from...]} to {@code dst}; no scaling. */
  static void encode(int[] src, int from, int count, NiftiDataType type, ByteBuffer dst) {
    for (int i = from; i < from + count; i++) {
      switch (type) {
        case FLOAT32 -> dst.putFloat(src[i]);
        case FLOAT64 -> dst.putDouble(src[i]);
        default -> putInteger(dst, type, (long) clamp(src[i], type));
      }
    }
  }

  private static double clamp(double v, NiftiDataType type) {
    return Math.max(type.minValue(), Math.min(type.maxValue(), v));
  }

  private static void putInteger(ByteBuffer dst, NiftiDataType type, long v) {
    switch (type.bytesPerVoxel()) {
      case 1 -> dst.put((byte) v);
      case 2 -> dst.putShort((short) v);
      case 4 -> dst.putInt((int) v);
      default -> throw new IllegalStateException("not an integer type: " + type);
    }
  }
}
