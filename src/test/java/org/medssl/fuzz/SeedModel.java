package org.medssl.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** The two parts of the valid seed model file, and a way to zip a (mutated) pair back into a model file. */
final class SeedModel {
  static final String RESOURCE = "ReaderFuzzTestInputs/modelFile/tiny_deflated.medssl";
  static final byte[] META;
  static final byte[] WEIGHTS;

  static {
    byte[][] parts = parts();
    META = parts[0];
    WEIGHTS = parts[1];
  }

  private SeedModel() {}

  static byte[] zip(byte[] meta, byte[] weights) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("medssl.json"));
      zip.write(meta);
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("weights.bin"));
      zip.write(weights);
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static byte[][] parts() {
    byte[][] out = new byte[2][];
    try (InputStream in = SeedModel.class.getResourceAsStream(RESOURCE); ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        out["medssl.json".equals(e.getName()) ? 0 : 1] = zip.readAllBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
