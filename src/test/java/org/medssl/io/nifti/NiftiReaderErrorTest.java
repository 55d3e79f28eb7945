package org.medssl.io.nifti;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.MedsslException;

/**
 * Broken files, each made by mutating a good fixture: every one must end in a MedsslException
 * whose message starts with the file, and none may allocate what a lying header claims.
 */
class NiftiReaderErrorTest {

  /** Little-endian NIfTI-1, uint8 5x4x3, plain. */
  private static final String NII1 = "uint8_both.nii";
  /** Little-endian NIfTI-1, int16 5x4x3, gzip. */
  private static final String GZ1 = "int16_scaled_qform.nii.gz";
  /** Little-endian NIfTI-2, float32 5x4x3, plain. */
  private static final String NII2 = "nifti2_float32.nii";

  @TempDir
  Path dir;

  @Test
  void truncatedPlainFile() throws IOException {
    byte[] good = fixture(NII1);
    Path bad = write("cut.nii", Arrays.copyOf(good, good.length - 10));
    assertFails(bad, "truncated file: header says 60 bytes of voxels, only 50 present");
  }

  @Test
  void truncatedGzipStream() throws IOException {
    byte[] good = Files.readAllBytes(NiftiFixtures.path(GZ1));
    assertFails(write("cut.nii.gz", Arrays.copyOf(good, good.length / 2)), "truncated");
  }

  @Test
  void wellFormedGzipOfAShortFile() throws IOException {
    byte[] raw = gunzip(fixture(GZ1));
    Path bad = write("short.nii.gz", gzip(Arrays.copyOf(raw, raw.length - 7)));
    assertFails(bad, "truncated file: header says 120 bytes of voxels, only 113 present");
  }

  @Test
  void gzipCutInsideTheHeader() throws IOException {
    byte[] raw = gunzip(fixture(GZ1));
    assertFails(write("header.nii.gz", gzip(Arrays.copyOf(raw, 200))), "truncated");
  }

  @Test
  void corruptGzipChecksum() throws IOException {
    byte[] gz = fixture(GZ1);
    gz[gz.length - 6] ^= 0x55; // inside the CRC32 of the trailer
    assertFails(write("crc.nii.gz", gz), "corrupt gzip");
  }

  @Test
  void wrongMagic() throws IOException {
    assertFails(mutate(NII1, "magic.nii", b -> b.put(344, "abc".getBytes(StandardCharsets.US_ASCII))),
        "magic is \"abc\"");
    assertFails(mutate(NII2, "magic2.nii", b -> b.put(4, (byte) 'x')), "not a NIfTI-2 file");
  }

  @Test
  void nifti2TextModeCorruption() throws IOException {
    assertFails(mutate(NII2, "crlf.nii", b -> b.put(8, (byte) '\n')), "text mode");
  }

  @Test
  void wrongSizeofHdr() throws IOException {
    assertFails(mutate(NII1, "sizeof.nii", b -> b.putInt(0, 349)), "sizeof_hdr is 349");
  }

  @Test
  void emptyAndMissingFiles() throws IOException {
    assertFails(write("empty.nii", new byte[0]), "shorter than a header");
    assertFails(dir.resolve("missing.nii"), "no such file");
  }

  @Test
  void zeroOrNegativeDims() throws IOException {
    assertFails(mutate(NII1, "zero.nii", b -> b.putShort(40 + 2 * 2, (short) 0)),
        "invalid dim[2] = 0");
    assertFails(mutate(NII1, "negative.nii", b -> b.putShort(40 + 2 * 3, (short) -3)),
        "invalid dim[3] = -3");
    assertFails(mutate(NII1, "ndim0.nii", b -> b.putShort(40, (short) 0)), "invalid dim[0] = 0");
    assertFails(mutate(NII1, "ndim8.nii", b -> b.putShort(40, (short) 8)), "invalid dim[0] = 8");
  }

  @Test
  void hugeDimsFailFastWithoutAllocating() throws IOException {
    Path nifti1 = mutate(NII1, "huge1.nii", b -> {
      for (int axis = 1; axis <= 3; axis++) {
        b.putShort(40 + 2 * axis, Short.MAX_VALUE);
      }
    });
    Path nifti2 = mutate(NII2, "huge2.nii", b -> {
      for (int axis = 1; axis <= 3; axis++) {
        b.putLong(16 + 8 * axis, 100_000);
      }
    });
    Path overflow = mutate(NII2, "overflow.nii", b -> {
      for (int axis = 1; axis <= 3; axis++) {
        b.putLong(16 + 8 * axis, 1L << 40);
      }
    });
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      assertFails(nifti1, "image too large: 32767x32767x32767");
      assertFails(nifti2, "image too large: 100000x100000x100000");
      assertFails(overflow, "overflows");
      assertTrue(NiftiReader.readHeader(nifti2).voxelCount() == 1_000_000_000_000_000L);
    });
  }

  @Test
  void lyingDimsWithinTheArrayLimitAreCaughtByLength() throws IOException {
    // 1000^3 int16 = 2 GB of voxels: fits a Java array, so only the data length can refute it.
    Consumer<ByteBuffer> lie = b -> {
      for (int axis = 1; axis <= 3; axis++) {
        b.putShort(40 + 2 * axis, (short) 1000);
      }
    };
    Path plain = write("lie.nii", mutated(gunzip(fixture(GZ1)), lie));
    Path gz = write("lie.nii.gz", gzip(mutated(gunzip(fixture(GZ1)), lie)));
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      assertFails(plain, "truncated file: header says 2000000000 bytes of voxels, only 120 present");
      assertFails(gz, "more than a");
    });
  }

  @Test
  void plausibleButTooLargeForTheHeapIsAUserError() throws IOException {
    assumeTrue(Runtime.getRuntime().maxMemory() < 8L << 30, "needs a heap below 8 GB");
    // 1290^3 uint8 fits a Java array (2.1e9 voxels) but not a float[] in this heap, and the
    // incompressible gzip is large enough to pass the deflate-ratio bound.
    byte[] header = Arrays.copyOf(mutated(fixture(NII1), b -> {
      for (int axis = 1; axis <= 3; axis++) {
        b.putShort(40 + 2 * axis, (short) 1290);
      }
    }), 352);
    byte[] noise = new byte[2_200_000];
    new Random(1).nextBytes(noise);
    byte[] raw = Arrays.copyOf(header, header.length + noise.length);
    System.arraycopy(noise, 0, raw, header.length, noise.length);
    Path big = write("big.nii.gz", gzip(raw));
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertFails(big, "not enough memory"));
  }

  @Test
  void unsupportedDatatype() throws IOException {
    assertFails(mutate(NII1, "complex.nii", b -> b.putShort(70, (short) 32)),
        "unsupported NIfTI datatype complex64 (code 32)");
    assertFails(mutate(NII1, "odd.nii", b -> b.putShort(70, (short) 3)), "(code 3)");
  }

  @Test
  void voxOffsetBeyondTheFile() throws IOException {
    assertFails(mutate(NII1, "far.nii", b -> b.putFloat(108, 100_000f)),
        "vox_offset 100000 is beyond the end of the file");
    byte[] raw = mutated(gunzip(fixture(GZ1)), b -> b.putFloat(108, 100_000f));
    assertFails(write("far.nii.gz", gzip(raw)), "beyond the end of the data");
  }

  @Test
  void voxOffsetInsideTheHeaderOrFractional() throws IOException {
    assertFails(mutate(NII1, "inside.nii", b -> b.putFloat(108, 100f)), "inside the 348-byte header");
    assertFails(mutate(NII1, "half.nii", b -> b.putFloat(108, 352.5f)), "whole number");
    assertFails(mutate(NII2, "inside2.nii", b -> b.putLong(168, 348)), "inside the 540-byte header");
  }

  @Test
  void invalidInterceptWithValidSlope() throws IOException {
    assertFails(mutate(NII1, "inter.nii", b -> b.putFloat(116, Float.NaN)), "invalid scl_inter");
  }

  @Test
  void headerImagePairsAreRejected() throws IOException {
    assertFails(write("scan.hdr", fixture(NII1)), ".hdr/.img pairs are not supported");
    assertFails(write("scan.img", fixture(NII1)), ".hdr/.img pairs are not supported");
    Path pairMagic = mutate(NII1, "pair.nii", b -> b.put(344, "ni1".getBytes(StandardCharsets.US_ASCII)));
    assertFails(pairMagic, ".hdr/.img pairs are not supported");
  }

  @Test
  void bigEndianFilesAreCheckedToo() throws IOException {
    byte[] good = fixture("int16_bigendian.nii");
    Path bad = write("be.nii", mutated(good, b -> b.order(ByteOrder.BIG_ENDIAN)
        .putShort(40 + 2, (short) 0)));
    assertFails(bad, "invalid dim[1] = 0");
  }

  private void assertFails(Path file, String expected) {
    MedsslException e = assertThrows(MedsslException.class, () -> NiftiReader.read(file));
    assertTrue(e.getMessage().startsWith(file.toString() + ": "),
        "message should start with the file: " + e.getMessage());
    assertTrue(e.getMessage().contains(expected),
        "message should contain \"" + expected + "\": " + e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  private Path mutate(String fixture, String name, Consumer<ByteBuffer> change) throws IOException {
    return write(name, mutated(fixture(fixture), change));
  }

  /** The bytes with {@code change} applied through a little-endian buffer. */
  private static byte[] mutated(byte[] bytes, Consumer<ByteBuffer> change) {
    byte[] copy = bytes.clone();
    change.accept(ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN));
    return copy;
  }

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  private static byte[] fixture(String name) throws IOException {
    return Files.readAllBytes(NiftiFixtures.path(name));
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(raw);
    }
    return bytes.toByteArray();
  }
}
