package org.medssl.robust;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Byte-level surgery on test files: gzip, and model files with edited metadata. */
final class ModelFiles {
  private ModelFiles() {}

  /** The model file with one piece of its medssl.json text replaced (the weights kept as they are). */
  static byte[] withMetadata(Path model, String from, String to) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(model));
         ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        byte[] content = in.readAllBytes();
        if ("medssl.json".equals(e.getName())) {
          String text = new String(content, StandardCharsets.UTF_8);
          if (!text.contains(from)) {
            throw new IllegalStateException("metadata has no " + from + ":\n" + text);
          }
          content = text.replace(from, to).getBytes(StandardCharsets.UTF_8);
        }
        out.putNextEntry(new ZipEntry(e.getName()));
        out.write(content);
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  static byte[] gunzip(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    }
    return out.toByteArray();
  }
}
