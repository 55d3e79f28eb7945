package org.medssl.io.nifti;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.medssl.MedsslException;

/**
 * Reads NIfTI-1 and NIfTI-2 single files ({@code .nii}, gzip-compressed or not, either byte
 * order) into float voxels.
 *
 * <p>Everything the header claims is checked before voxel memory is allocated: sizes, overflow,
 * the Java array limit, and for plain files the file length. A gzip stream's length is unknown
 * up front, so its claim is bounded by deflate's maximum compression ratio and the voxels are
 * read in chunks that fail with "truncated" when the stream ends early.
 */
public final class NiftiReader {

  /** Largest voxel count one Java float[] holds (the VM reserves a few header words). */
  private static final long MAX_VOXELS = Integer.MAX_VALUE - 8;
  /** Deflate compresses at most ~1032:1, so n gzip bytes never hold more than 1032 n bytes. */
  private static final long MAX_DEFLATE_RATIO = 1032;
  private static final int STREAM_BUFFER = 1 << 16;
  private static final int CHUNK_BYTES = 1 << 20;

  private NiftiReader() {}

  /**
   * Reads and validates only the header (structure, dims, datatype, vox_offset). Does not check
   * the file length or whether the voxels fit in memory, so headers of images too large to load
   * can still be inspected.
   */
  public static NiftiHeader readHeader(Path path) {
    String file = path.toString();
    checkSingleFile(path);
    try (InputStream in = open(path, isGzip(path, file))) {
      return readHeader(in, file);
    } catch (IOException e) {
      throw ioError(file, e);
    }
  }

  /** Reads the whole image: header, then voxels scaled by scl_slope/scl_inter. */
  public static NiftiImage read(Path path) {
    String file = path.toString();
    checkSingleFile(path);
    try {
      boolean gzip = isGzip(path, file);
      try (InputStream in = open(path, gzip)) {
        return read(path, gzip, in, file);
      }
    } catch (IOException e) {
      throw ioError(file, e);
    }
  }

  private static NiftiImage read(Path path, boolean gzip, InputStream in, String file)
      throws IOException {
    NiftiHeader header = readHeader(in, file);
    checkFits(header, file);
    checkLength(path, gzip, header, file);
    skip(in, header.voxOffset() - header.headerSize(), header, file);
    float[] data = allocate(header, file);
    readVoxels(in, header, data, file);
    return new NiftiImage(header, data, file);
  }

  private static void checkSingleFile(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.matches(".*\\.(hdr|img)(\\.gz)?")) {
      throw new MedsslException(path + ": NIfTI/Analyze .hdr/.img pairs are not supported; "
          + "convert to a single .nii or .nii.gz file");
    }
  }

  private static InputStream open(Path path, boolean gzip) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(path), STREAM_BUFFER);
    return gzip ? new GZIPInputStream(in, STREAM_BUFFER) : in;
  }

  /** Gzip is recognised by its magic bytes, not the name: misnamed files are common. */
  private static boolean isGzip(Path path, String file) throws IOException {
    if (Files.isDirectory(path)) {
      throw new MedsslException(file + ": is a directory, not a NIfTI file");
    }
    try (InputStream in = Files.newInputStream(path)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    } catch (NoSuchFileException e) {
      throw new MedsslException(file + ": no such file", e);
    }
  }

  private static NiftiHeader readHeader(InputStream in, String file) throws IOException {
    byte[] first = new byte[4];
    if (readFully(in, first, 0, 4) < 4) {
      throw new MedsslException(file + ": not a NIfTI file: shorter than a header");
    }
    NiftiHeaderCodec.Layout layout = NiftiHeaderCodec.layout(first, file);
    byte[] bytes = new byte[layout.size()];
    System.arraycopy(first, 0, bytes, 0, 4);
    int got = readFully(in, bytes, 4, bytes.length - 4);
    if (got < bytes.length - 4) {
      throw new MedsslException(file + ": truncated file: the " + bytes.length
          + "-byte header ends after " + (got + 4) + " bytes");
    }
    return NiftiHeaderCodec.decode(bytes, layout, file);
  }

  /** medssl keeps an image in one float[], which caps the voxel count near 2^31. */
  private static void checkFits(NiftiHeader h, String file) {
    if (h.voxelCount() > MAX_VOXELS) {
      throw new MedsslException(file + ": image too large: " + h.shapeString() + " is "
          + h.voxelCount() + " voxels, more than the " + MAX_VOXELS
          + " medssl can hold in one image");
    }
  }

  /** Plain files: compare with the real length. Gzip files: with what deflate can expand to. */
  private static void checkLength(Path path, boolean gzip, NiftiHeader h, String file)
      throws IOException {
    long size = Files.size(path);
    long needed = h.voxOffset() + h.dataBytes();
    if (gzip) {
      if (needed / MAX_DEFLATE_RATIO > size) {
        throw new MedsslException(file + ": truncated file: header says " + h.dataBytes()
            + " bytes of voxels, more than a " + size + "-byte gzip file can hold");
      }
      return;
    }
    if (size < h.voxOffset()) {
      throw new MedsslException(file + ": vox_offset " + h.voxOffset()
          + " is beyond the end of the file (" + size + " bytes)");
    }
    if (size < needed) {
      throw truncated(file, h, size - h.voxOffset());
    }
  }

  /** Skips extensions between the header and the voxels. */
  private static void skip(InputStream in, long bytes, NiftiHeader h, String file)
      throws IOException {
    byte[] scratch = new byte[(int) Math.min(bytes, CHUNK_BYTES)];
    long left = bytes;
    while (left > 0) {
      int got = readFully(in, scratch, 0, (int) Math.min(left, scratch.length));
      if (got == 0) {
        throw new MedsslException(file + ": vox_offset " + h.voxOffset()
            + " is beyond the end of the data");
      }
      left -= got;
    }
  }

  /** A legitimate but too large image still must not surface as an OutOfMemoryError. */
  private static float[] allocate(NiftiHeader h, String file) {
    try {
      return new float[(int) h.voxelCount()];
    } catch (OutOfMemoryError e) {
      throw new MedsslException(file + ": not enough memory for " + h.shapeString() + " ("
          + (h.voxelCount() * 4 >> 20) + " MB as float32); give Java more heap (MEDSSL_HEAP=8g ./medssl ..., the launcher's -Xmx; pretrain keeps"
          + " only --pool-memory GiB of its pool in the heap)");
    }
  }

  /** Fills {@code data} chunk by chunk; a short read means the file is truncated. */
  private static void readVoxels(InputStream in, NiftiHeader h, float[] data, String file)
      throws IOException {
    int bytesPerVoxel = h.datatype().bytesPerVoxel();
    int perChunk = CHUNK_BYTES / bytesPerVoxel;
    byte[] chunk = new byte[(int) Math.min(CHUNK_BYTES, h.dataBytes())];
    VoxelDecoder decoder = new VoxelDecoder(h);
    for (int done = 0; done < data.length; done += perChunk) {
      int count = Math.min(perChunk, data.length - done);
      int got = readFully(in, chunk, 0, count * bytesPerVoxel);
      if (got < count * bytesPerVoxel) {
        throw truncated(file, h, (long) done * bytesPerVoxel + got);
      }
      decoder.decode(chunk, count, data, done);
    }
    drain(in);
  }

  /** Reading a gzip stream to its end makes GZIPInputStream verify the CRC and length. */
  private static void drain(InputStream in) throws IOException {
    if (in instanceof GZIPInputStream) {
      byte[] scratch = new byte[8192];
      while (in.read(scratch) >= 0) {
        // trailing bytes after the voxels are allowed and ignored
      }
    }
  }

  /**
   * Reads until {@code len} bytes or the end of the stream; returns the count. A gzip stream cut
   * short throws EOFException mid-read, which is the same "no more data" here.
   */
  private static int readFully(InputStream in, byte[] buf, int off, int len) throws IOException {
    int total = 0;
    try {
      while (total < len) {
        int n = in.read(buf, off + total, len - total);
        if (n < 0) {
          break;
        }
        total += n;
      }
    } catch (EOFException e) {
      // truncated gzip member: report what arrived
    }
    return total;
  }

  private static MedsslException truncated(String file, NiftiHeader h, long present) {
    return new MedsslException(file + ": truncated file: header says " + h.dataBytes()
        + " bytes of voxels, only " + present + " present");
  }

  private static MedsslException ioError(String file, IOException e) {
    if (e instanceof EOFException) {
      return new MedsslException(file + ": truncated gzip file", e);
    }
    if (e instanceof ZipException) {
      return new MedsslException(file + ": corrupt gzip data: " + e.getMessage(), e);
    }
    if (e instanceof AccessDeniedException) {
      return new MedsslException(file + ": permission denied", e);
    }
    return new MedsslException(file + ": cannot read: "
        + (e.getMessage() != null ? e.getMessage() : e.toString()), e);
  }
}
