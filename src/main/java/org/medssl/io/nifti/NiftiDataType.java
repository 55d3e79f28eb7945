package org.medssl.io.nifti;

import java.util.Map;
import org.medssl.MedsslException;

/** The NIfTI voxel types medssl reads and writes, with their header codes. */
public enum NiftiDataType {
  UINT8(2, 1, "uint8", 0, 255),
  INT16(4, 2, "int16", Short.MIN_VALUE, Short.MAX_VALUE),
  INT32(8, 4, "int32", Integer.MIN_VALUE, Integer.MAX_VALUE),
  FLOAT32(16, 4, "float32", -Float.MAX_VALUE, Float.MAX_VALUE),
  FLOAT64(64, 8, "float64", -Double.MAX_VALUE, Double.MAX_VALUE),
  INT8(256, 1, "int8", Byte.MIN_VALUE, Byte.MAX_VALUE),
  UINT16(512, 2, "uint16", 0, 65535),
  UINT32(768, 4, "uint32", 0, 4294967295.0);

  /** Codes from nifti1.h that exist but that medssl does not read, named for clearer errors. */
  private static final Map<Integer, String> UNSUPPORTED = Map.of(
      1, "binary", 32, "complex64", 128, "rgb24", 1024, "int64", 1280, "uint64",
      1536, "float128", 1792, "complex128", 2048, "complex256", 2304, "rgba32");

  private final int code;
  private final int bytes;
  private final String typeName;
  private final double min;
  private final double max;

  NiftiDataType(int code, int bytes, String typeName, double min, double max) {
    this.code = code;
    this.bytes = bytes;
    this.typeName = typeName;
    this.min = min;
    this.max = max;
  }

  /** The {@code datatype} header code. */
  public int code() {
    return code;
  }

  public int bytesPerVoxel() {
    return bytes;
  }

  /** The {@code bitpix} header value. */
  public int bitpix() {
    return bytes * 8;
  }

  /** The name nibabel and numpy use, e.g. {@code "int16"}. */
  public String typeName() {
    return typeName;
  }

  public boolean isInteger() {
    return this != FLOAT32 && this != FLOAT64;
  }

  /** Smallest storable value (for integers; the most negative finite value for floats). */
  public double minValue() {
    return min;
  }

  /** Largest storable value. */
  public double maxValue() {
    return max;
  }

  /**
   * The type with this header code.
   *
   * @param file named in the error message when the code is not supported
   */
  public static NiftiDataType fromCode(int code, String file) {
    for (NiftiDataType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    String known = UNSUPPORTED.containsKey(code) ? UNSUPPORTED.get(code) + " " : "";
    throw new MedsslException(file + ": unsupported NIfTI datatype " + known + "(code " + code
        + "); supported: uint8, int8, int16, uint16, int32, uint32, float32, float64");
  }

  @Override
  public String toString() {
    return typeName;
  }
}
