package org.medssl.io.pytorch;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Element types of PyTorch storages and safetensors tensors, with how to read a floating-point
 * element as fp32 (medssl keeps weights in fp32); integer types (BatchNorm's
 * {@code num_batches_tracked}) are recognised so they can be skipped by name.
 */
enum DType {
  F32(4, true), F64(8, true), F16(2, true), BF16(2, true), I64(8, false), I32(4, false), I16(2, false),
  I8(1, false), U8(1, false), BOOL(1, false);

  final int bytes;
  final boolean floating;

  DType(int bytes, boolean floating) {
    this.bytes = bytes;
    this.floating = floating;
  }

  /** From torch's storage class name ({@code FloatStorage}); null for an unknown one. */
  static DType ofStorage(String storageClass) {
    return switch (storageClass) {
      case "FloatStorage" -> F32;
      case "DoubleStorage" -> F64;
      case "HalfStorage" -> F16;
      case "BFloat16Storage" -> BF16;
      case "LongStorage" -> I64;
      case "IntStorage" -> I32;
      case "ShortStorage" -> I16;
      case "CharStorage" -> I8;
      case "ByteStorage" -> U8;
      case "BoolStorage" -> BOOL;
      default -> null;
    };
  }

  /** From a safetensors dtype name ({@code "F32"}, {@code "BF16"}); null for an unknown one. */
  static DType ofSafetensors(String name) {
    return switch (name.toUpperCase(Locale.ROOT)) {
      case "F32" -> F32;
      case "F64" -> F64;
      case "F16" -> F16;
      case "BF16" -> BF16;
      case "I64" -> I64;
      case "I32" -> I32;
      case "I16" -> I16;
      case "I8" -> I8;
      case "U8" -> U8;
      case "BOOL" -> BOOL;
      default -> null;
    };
  }

  /** Element {@code index} of a little-endian buffer of this type, as fp32. */
  float read(ByteBuffer data, long index) {
    int at = Math.toIntExact(index * bytes);
    return switch (this) {
      case F32 -> data.getFloat(at);
      case F64 -> (float) data.getDouble(at);
      case F16 -> halfToFloat(data.getShort(at));
      case BF16 -> Float.intBitsToFloat((data.getShort(at) & 0xffff) << 16);
      default -> throw new IllegalStateException(this + " is not a floating-point type");
    };
  }

  /** IEEE 754 binary16 to binary32 (Java 17 has no Float.float16ToFloat). */
  static float halfToFloat(short half) {
    int h = half & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0x1f) { // Inf or NaN
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) { // zero or subnormal: mantissa x 2^-24
      float value = mantissa * 0x1p-24f;
      return sign == 0 ? value : -value;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}
