package org.medssl.io.nifti;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.medssl.MedsslException;

/**
 * Byte layout of NIfTI-1 (348-byte) and NIfTI-2 (540-byte) headers: parsing with validation, and
 * encoding. Offsets are those of nifti1.h and nifti2.h.
 */
final class NiftiHeaderCodec {

  /** Where a header's fields are, once its first four bytes ({@code sizeof_hdr}) are known. */
  record Layout(int version, ByteOrder order) {
    int size() {
      return version == 1 ? NiftiHeader.NIFTI1_HEADER_SIZE : NiftiHeader.NIFTI2_HEADER_SIZE;
    }
  }

  private static final byte[] MAGIC1 = {'n', '+', '1', 0};
  private static final byte[] PAIR_MAGIC1 = {'n', 'i', '1', 0};
  private static final byte[] MAGIC2 = {'n', '+', '2', 0, '\r', '\n', 032, '\n'};
  private static final byte[] PAIR_MAGIC2 = {'n', 'i', '2', 0, '\r', '\n', 032, '\n'};
  /** NIfTI-1 stores dims as int16. */
  static final int NIFTI1_MAX_DIM = Short.MAX_VALUE;

  private NiftiHeaderCodec() {}

  /**
   * Version and byte order from {@code sizeof_hdr}: the standard's way to detect endianness is to
   * see which reading gives 348 (or 540).
   */
  static Layout layout(byte[] first4, String file) {
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      int size = ByteBuffer.wrap(first4).order(order).getInt(0);
      if (size == NiftiHeader.NIFTI1_HEADER_SIZE) {
        return new Layout(1, order);
      }
      if (size == NiftiHeader.NIFTI2_HEADER_SIZE) {
        return new Layout(2, order);
      }
    }
    int size = ByteBuffer.wrap(first4).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    throw new MedsslException(file + ": not a NIfTI file: sizeof_hdr is " + size
        + " (expected 348 for NIfTI-1 or 540 for NIfTI-2)");
  }

  /** Parses and validates a whole header (including the first four bytes). */
  static NiftiHeader decode(byte[] bytes, Layout layout, String file) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(layout.order());
    NiftiHeader h = layout.version() == 1 ? decode1(b, file) : decode2(b, file);
    validate(h, file);
    return h;
  }

  private static NiftiHeader decode1(ByteBuffer b, String file) {
    checkMagic(b, 344, MAGIC1, PAIR_MAGIC1, "NIfTI-1", file);
    NiftiDataType type = NiftiDataType.fromCode(b.getShort(70), file);
    return new NiftiHeader(1, b.order(), dims(b, 40, 2), floats(b, 76, 8), type, b.getShort(72),
        voxOffset1(b.getFloat(108), file), b.getFloat(112), b.getFloat(116),
        b.get(123) & 0xff, b.getShort(252), b.getShort(254),
        b.getFloat(256), b.getFloat(260), b.getFloat(264),
        b.getFloat(268), b.getFloat(272), b.getFloat(276),
        floats(b, 280, 4), floats(b, 296, 4), floats(b, 312, 4),
        string(b, 148, 80), b.getShort(68));
  }

  private static NiftiHeader decode2(ByteBuffer b, String file) {
    checkMagic(b, 4, MAGIC2, PAIR_MAGIC2, "NIfTI-2", file);
    NiftiDataType type = NiftiDataType.fromCode(b.getShort(12), file);
    return new NiftiHeader(2, b.order(), dims(b, 16, 8), doubles(b, 104, 8), type, b.getShort(14),
        b.getLong(168), b.getDouble(176), b.getDouble(184),
        b.getInt(500), b.getInt(344), b.getInt(348),
        b.getDouble(352), b.getDouble(360), b.getDouble(368),
        b.getDouble(376), b.getDouble(384), b.getDouble(392),
        doubles(b, 400, 4), doubles(b, 432, 4), doubles(b, 464, 4),
        string(b, 240, 80), b.getInt(504));
  }

  /** Checks that hold for both versions; dims first, so nothing later multiplies garbage. */
  private static void validate(NiftiHeader h, String file) {
    long[] dim = h.dim();
    if (dim[0] < 1 || dim[0] > 7) {
      throw new MedsslException(file + ": invalid dim[0] = " + dim[0]
          + " (the number of dimensions must be 1..7)");
    }
    for (int axis = 1; axis <= dim[0]; axis++) {
      if (dim[axis] < 1) {
        throw new MedsslException(file + ": invalid dim[" + axis + "] = " + dim[axis]
            + " (every used dimension must be at least 1)");
      }
    }
    try {
      h.dataBytes();
    } catch (ArithmeticException e) {
      throw new MedsslException(file + ": invalid dims " + h.shapeString()
          + ": the voxel count overflows a 64-bit integer");
    }
    if (h.voxOffset() < h.headerSize()) {
      throw new MedsslException(file + ": invalid vox_offset " + h.voxOffset()
          + ": the voxels would start inside the " + h.headerSize() + "-byte header");
    }
    if (h.hasScaling() && !Double.isFinite(h.sclInter())) {
      throw new MedsslException(file + ": invalid scl_inter " + h.sclInter()
          + " with scl_slope " + h.sclSlope());
    }
  }

  /** NIfTI-1 keeps vox_offset in a float; it must still be a whole, non-negative byte count. */
  private static long voxOffset1(float value, String file) {
    if (!(value >= 0) || value != Math.rint(value) || value > 1L << 40) {
      throw new MedsslException(file + ": invalid vox_offset " + value
          + " (must be a whole number of bytes)");
    }
    return (long) value;
  }

  private static void checkMagic(ByteBuffer b, int offset, byte[] magic, byte[] pairMagic,
      String format, String file) {
    byte[] found = new byte[magic.length];
    b.get(offset, found);
    if (Arrays.equals(found, magic)) {
      return;
    }
    if (Arrays.equals(found, pairMagic)) {
      throw new MedsslException(file + ": NIfTI .hdr/.img pairs are not supported (header magic \""
          + printable(found) + "\"); convert to a single .nii or .nii.gz file");
    }
    if (Arrays.equals(found, 0, 4, magic, 0, 4)) {
      throw new MedsslException(file + ": corrupted NIfTI-2 header: the line-ending check bytes "
          + "after the magic were changed (was the file transferred in text mode?)");
    }
    throw new MedsslException(file + ": not a " + format + " file: magic is \"" + printable(found)
        + "\" (expected \"" + printable(magic) + "\")");
  }

  /** Header bytes for {@code h}, in its byte order, padded with zeros up to its vox_offset. */
  static byte[] encode(NiftiHeader h) {
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(h.voxOffset())).order(h.byteOrder());
    if (h.version() == 1) {
      encode1(h, b);
    } else {
      encode2(h, b);
    }
    return b.array();
  }

  private static void encode1(NiftiHeader h, ByteBuffer b) {
    long[] dim = h.dim();
    double[] pixdim = h.pixdim();
    b.putInt(0, NiftiHeader.NIFTI1_HEADER_SIZE);
    b.put(38, (byte) 'r'); // "regular", as nibabel and nifti1_io write it
    for (int i = 0; i < 8; i++) {
      b.putShort(40 + 2 * i, (short) dim[i]);
      b.putFloat(76 + 4 * i, (float) pixdim[i]);
    }
    b.putShort(68, (short) h.intentCode());
    b.putShort(70, (short) h.datatype().code());
    b.putShort(72, (short) h.bitpix());
    b.putFloat(108, h.voxOffset());
    b.putFloat(112, (float) h.sclSlope());
    b.putFloat(116, (float) h.sclInter());
    b.put(123, (byte) h.xyztUnits());
    putString(b, 148, 80, h.descrip());
    b.putShort(252, (short) h.qformCode());
    b.putShort(254, (short) h.sformCode());
    double[] quatern = {h.quaternB(), h.quaternC(), h.quaternD(), h.qoffsetX(), h.qoffsetY(),
        h.qoffsetZ()};
    for (int i = 0; i < 6; i++) {
      b.putFloat(256 + 4 * i, (float) quatern[i]);
    }
    double[][] srow = {h.srowX(), h.srowY(), h.srowZ()};
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        b.putFloat(280 + 16 * r + 4 * c, (float) srow[r][c]);
      }
    }
    b.put(344, MAGIC1);
  }

  private static void encode2(NiftiHeader h, ByteBuffer b) {
    long[] dim = h.dim();
    double[] pixdim = h.pixdim();
    b.putInt(0, NiftiHeader.NIFTI2_HEADER_SIZE);
    b.put(4, MAGIC2);
    b.putShort(12, (short) h.datatype().code());
    b.putShort(14, (short) h.bitpix());
    for (int i = 0; i < 8; i++) {
      b.putLong(16 + 8 * i, dim[i]);
      b.putDouble(104 + 8 * i, pixdim[i]);
    }
    b.putLong(168, h.voxOffset());
    b.putDouble(176, h.sclSlope());
    b.putDouble(184, h.sclInter());
    putString(b, 240, 80, h.descrip());
    b.putInt(344, h.qformCode());
    b.putInt(348, h.sformCode());
    double[] quatern = {h.quaternB(), h.quaternC(), h.quaternD(), h.qoffsetX(), h.qoffsetY(),
        h.qoffsetZ()};
    for (int i = 0; i < 6; i++) {
      b.putDouble(352 + 8 * i, quatern[i]);
    }
    double[][] srow = {h.srowX(), h.srowY(), h.srowZ()};
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        b.putDouble(400 + 32 * r + 8 * c, srow[r][c]);
      }
    }
    b.putInt(500, h.xyztUnits());
    b.putInt(504, h.intentCode());
  }

  /** The eight {@code dim} entries: 2-byte integers in NIfTI-1, 8-byte in NIfTI-2. */
  private static long[] dims(ByteBuffer b, int offset, int bytes) {
    long[] dim = new long[8];
    for (int i = 0; i < 8; i++) {
      dim[i] = bytes == 2 ? b.getShort(offset + 2 * i) : b.getLong(offset + 8 * i);
    }
    return dim;
  }

  private static double[] floats(ByteBuffer b, int offset, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = b.getFloat(offset + 4 * i);
    }
    return out;
  }

  private static double[] doubles(ByteBuffer b, int offset, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = b.getDouble(offset + 8 * i);
    }
    return out;
  }

  /** A fixed-width C string field, up to its first NUL. */
  private static String string(ByteBuffer b, int offset, int width) {
    int len = 0;
    while (len < width && b.get(offset + len) != 0) {
      len++;
    }
    byte[] raw = new byte[len];
    b.get(offset, raw);
    return new String(raw, StandardCharsets.ISO_8859_1);
  }

  /** Writes at most width-1 bytes so the field stays NUL-terminated. */
  private static void putString(ByteBuffer b, int offset, int width, String s) {
    byte[] raw = s.getBytes(StandardCharsets.ISO_8859_1);
    b.put(offset, raw, 0, Math.min(raw.length, width - 1));
  }

  private static String printable(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte x : bytes) {
      int c = x & 0xff;
      if (c == 0) {
        break;
      }
      sb.append(c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\x%02x", c));
    }
    return sb.toString();
  }
}
