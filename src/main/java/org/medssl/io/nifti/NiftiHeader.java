package org.medssl.io.nifti;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import org.medssl.image.Affine;
import org.medssl.image.Grid;

/**
 * The fields of a NIfTI-1 or NIfTI-2 header that medssl uses, as stored in the file (NIfTI-1's
 * float32 and int16 fields widened to double and long).
 *
 * <p>{@link NiftiReader} validates headers before building one of these; this constructor checks
 * only array lengths. {@code dim} and {@code pixdim} are kept as read: entries beyond {@code
 * dim[0]} are ignored by {@link #size(int)}, as the standard says.
 *
 * @param version 1 or 2
 * @param byteOrder byte order of the header and voxels
 * @param dim {@code dim[0]} = number of dimensions, {@code dim[1..7]} = sizes
 * @param pixdim {@code pixdim[0]} = qfac, {@code pixdim[1..3]} = voxel size, {@code pixdim[4]} = TR
 * @param voxOffset byte offset of the voxels from the start of the (decompressed) file
 * @param sclSlope scaling slope; 0 or non-finite means no scaling
 * @param xyztUnits spatial and temporal units bit field (2 = mm, 8 = s)
 * @param descrip the description string, up to its first NUL
 */
public record NiftiHeader(
    int version,
    ByteOrder byteOrder,
    long[] dim,
    double[] pixdim,
    NiftiDataType datatype,
    int bitpix,
    long voxOffset,
    double sclSlope,
    double sclInter,
    int xyztUnits,
    int qformCode,
    int sformCode,
    double quaternB,
    double quaternC,
    double quaternD,
    double qoffsetX,
    double qoffsetY,
    double qoffsetZ,
    double[] srowX,
    double[] srowY,
    double[] srowZ,
    String descrip,
    int intentCode) {

  /** {@code sizeof_hdr} of NIfTI-1 and NIfTI-2. */
  public static final int NIFTI1_HEADER_SIZE = 348;
  public static final int NIFTI2_HEADER_SIZE = 540;

  public NiftiHeader {
    if (version != 1 && version != 2) {
      throw new IllegalArgumentException("NIfTI version must be 1 or 2: " + version);
    }
    Objects.requireNonNull(byteOrder, "byteOrder");
    Objects.requireNonNull(datatype, "datatype");
    Objects.requireNonNull(descrip, "descrip");
    dim = checkLength(dim.clone(), 8, "dim");
    pixdim = checkLength(pixdim.clone(), 8, "pixdim");
    srowX = checkLength(srowX.clone(), 4, "srowX");
    srowY = checkLength(srowY.clone(), 4, "srowY");
    srowZ = checkLength(srowZ.clone(), 4, "srowZ");
  }

  /** Number of dimensions ({@code dim[0]}). */
  public int ndim() {
    return (int) dim[0];
  }

  /** Size along axis 1..7; axes beyond {@code dim[0]} have size 1. */
  public long size(int axis) {
    if (axis < 1 || axis > 7) {
      throw new IllegalArgumentException("axis must be 1..7: " + axis);
    }
    return axis <= ndim() ? dim[axis] : 1;
  }

  /** Product of all used sizes. */
  public long voxelCount() {
    long n = 1;
    for (int axis = 1; axis <= 7; axis++) {
      n = Math.multiplyExact(n, size(axis));
    }
    return n;
  }

  /** Number of 3D volumes: the product of sizes along axes 4..7 (1 for a 3D image). */
  public long frames() {
    long n = 1;
    for (int axis = 4; axis <= 7; axis++) {
      n = Math.multiplyExact(n, size(axis));
    }
    return n;
  }

  /** Bytes of voxel data the header promises. */
  public long dataBytes() {
    return Math.multiplyExact(voxelCount(), (long) datatype.bytesPerVoxel());
  }

  /** {@code sizeof_hdr} for this version. */
  public int headerSize() {
    return version == 1 ? NIFTI1_HEADER_SIZE : NIFTI2_HEADER_SIZE;
  }

  /** True when {@code scl_slope} asks for scaling (neither 0 nor NaN nor infinite). */
  public boolean hasScaling() {
    return sclSlope != 0 && Double.isFinite(sclSlope);
  }

  /** {@code pixdim[0]} read as the standard says: negative means -1, anything else +1. */
  public double qfac() {
    return pixdim[0] < 0 ? -1 : 1;
  }

  /**
   * The voxel-to-world affine nibabel's {@code get_best_affine} picks: the sform when {@code
   * sform_code} is set, else the qform when {@code qform_code} is set, else {@link #baseAffine()}.
   */
  public Affine affine() {
    if (sformCode != 0) {
      return sformAffine();
    }
    if (qformCode != 0) {
      return qformAffine();
    }
    return baseAffine();
  }

  /** The affine the sform rows describe, whatever {@code sform_code} says. */
  public Affine sformAffine() {
    double[] m = new double[16];
    System.arraycopy(srowX, 0, m, 0, 4);
    System.arraycopy(srowY, 0, m, 4, 4);
    System.arraycopy(srowZ, 0, m, 8, 4);
    m[15] = 1;
    return new Affine(m);
  }

  /** The affine the quaternion, qfac, pixdim and offsets describe, whatever {@code qform_code} says. */
  public Affine qformAffine() {
    return new Qform(quaternB, quaternC, quaternD, qfac(),
        new double[] {pixdim[1], pixdim[2], pixdim[3]},
        new double[] {qoffsetX, qoffsetY, qoffsetZ}).toAffine();
  }

  /**
   * The fallback when neither form is set. Not the standard's method 1 (diag(pixdim), zero
   * origin) but what nibabel, and therefore MONAI, return: x flipped (radiological Analyze
   * convention) and the origin at the volume centre. Axes beyond {@code dim[0]} get size and
   * spacing 1, as in nibabel's {@code shape_zoom_affine}.
   */
  public Affine baseAffine() {
    double[] m = new double[16];
    for (int axis = 1; axis <= 3; axis++) {
      boolean used = axis <= ndim();
      double zoom = used ? pixdim[axis] : 1;
      double size = used ? dim[axis] : 1;
      if (axis == 1) {
        zoom = -zoom;
      }
      m[(axis - 1) * 5] = zoom;
      m[(axis - 1) * 4 + 3] = -(size - 1) / 2.0 * zoom;
    }
    m[15] = 1;
    return new Affine(m);
  }

  /**
   * The 3D grid of one frame: sizes along axes 1..3, spacing {@code |pixdim[1..3]|} (1 where
   * pixdim is 0 or not finite) and {@link #affine()}.
   */
  public Grid grid() {
    double[] spacing = new double[3];
    for (int axis = 1; axis <= 3; axis++) {
      double p = Math.abs(pixdim[axis]);
      spacing[axis - 1] = p > 0 && Double.isFinite(p) ? p : 1;
    }
    return new Grid(Math.toIntExact(size(1)), Math.toIntExact(size(2)), Math.toIntExact(size(3)),
        spacing, affine());
  }

  /** Shape as {@code 5x4x3} or {@code 4x3x2x2}. */
  public String shapeString() {
    StringBuilder sb = new StringBuilder();
    for (int axis = 1; axis <= Math.max(ndim(), 1); axis++) {
      sb.append(axis > 1 ? "x" : "").append(dim[axis]);
    }
    return sb.toString();
  }

  @Override
  public long[] dim() {
    return dim.clone();
  }

  @Override
  public double[] pixdim() {
    return pixdim.clone();
  }

  @Override
  public double[] srowX() {
    return srowX.clone();
  }

  @Override
  public double[] srowY() {
    return srowY.clone();
  }

  @Override
  public double[] srowZ() {
    return srowZ.clone();
  }

  /** Value equality, arrays compared element by element. */
  @Override
  public boolean equals(Object o) {
    return o instanceof NiftiHeader h && Arrays.deepEquals(fields(), h.fields());
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(fields());
  }

  @Override
  public String toString() {
    return "NiftiHeader" + Arrays.deepToString(fields());
  }

  private Object[] fields() {
    return new Object[] {version, byteOrder, dim, pixdim, datatype, bitpix, voxOffset, sclSlope,
        sclInter, xyztUnits, qformCode, sformCode, quaternB, quaternC, quaternD, qoffsetX,
        qoffsetY, qoffsetZ, srowX, srowY, srowZ, descrip, intentCode};
  }

  private static long[] checkLength(long[] array, int length, String name) {
    if (array.length != length) {
      throw new IllegalArgumentException(name + " needs " + length + " values");
    }
    return array;
  }

  private static double[] checkLength(double[] array, int length, String name) {
    if (array.length != length) {
      throw new IllegalArgumentException(name + " needs " + length + " values");
    }
    return array;
  }
}
