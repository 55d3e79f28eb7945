package org.medssl.io.model;

import org.medssl.io.AtomicFiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.medssl.MedsslException;
import org.medssl.tensor.TensorData;

/**
 * The {@code .medssl} file: one self-describing zip holding {@code medssl.json} (what the weights
 * are: architecture, preprocessing, labels, provenance) and {@code weights.bin} (named fp32
 * tensors). Written atomically; read with every length checked before allocating.
 */
public record ModelFile(ObjectNode metadata, Map<String, TensorData> weights) {

  public static final int FORMAT_VERSION = 1;
  private static final String META = "medssl.json";
  private static final String WEIGHTS = "weights.bin";
  private static final int MAGIC = 0x4D53534C; // "MSSL"
  private static final ObjectMapper JSON = new ObjectMapper();

  public ModelFile {
    weights = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(weights));
  }

  public void write(Path path) {
    ObjectNode meta = metadata.deepCopy();
    meta.put("format", "medssl-model");
    meta.put("formatVersion", FORMAT_VERSION);
    AtomicFiles.write(path, out -> {
      ZipOutputStream zip = new ZipOutputStream(out);
      zip.putNextEntry(new ZipEntry(META));
      zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry(WEIGHTS));
      writeWeights(new DataOutputStream(zip), weights);
      zip.closeEntry();
      zip.finish();
    });
  }

  public static ModelFile read(Path path) {
    ObjectNode meta = null;
    Map<String, TensorData> weights = null;
    try (InputStream in = Files.newInputStream(path); ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        if (META.equals(e.getName())) {
          meta = readMeta(path, zip.readAllBytes());
        } else if (WEIGHTS.equals(e.getName())) {
          weights = readWeights(path, new DataInputStream(zip));
        }
      }
    } catch (NoSuchFileException e) {
      throw new MedsslException(path + ": model file does not exist");
    } catch (EOFException | java.util.zip.ZipException | IllegalArgumentException e) {
      // ZipInputStream reports an entry name that is not valid UTF-8 as IllegalArgumentException.
      throw new MedsslException(path + ": not a complete medssl model file (truncated or corrupt: " + e.getMessage() + ")");
    } catch (IOException e) {
      throw new MedsslException(path + ": cannot read model file: " + e.getMessage());
    }
    if (meta == null || weights == null) {
      throw new MedsslException(path + ": not a medssl model file (missing " + (meta == null ? META : WEIGHTS) + ")");
    }
    return new ModelFile(meta, weights);
  }

  private static ObjectNode readMeta(Path path, byte[] bytes) throws IOException {
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new MedsslException(path + ": model metadata is not valid JSON");
    }
    if (!(node instanceof ObjectNode obj) || !"medssl-model".equals(obj.path("format").asText())) {
      throw new MedsslException(path + ": not a medssl model file");
    }
    int version = obj.path("formatVersion").asInt(-1);
    if (version != FORMAT_VERSION) {
      throw new MedsslException(path + ": model format version " + version + " is not supported (this medssl reads "
          + FORMAT_VERSION + ")");
    }
    return obj;
  }

  static void writeWeights(DataOutputStream out, Map<String, TensorData> weights) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(weights.size());
    for (Map.Entry<String, TensorData> e : weights.entrySet()) {
      out.writeUTF(e.getKey());
      long[] shape = e.getValue().shape();
      out.writeInt(shape.length);
      for (long s : shape) {
        out.writeLong(s);
      }
      float[] v = e.getValue().values();
      ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      buf.asFloatBuffer().put(v);
      out.write(buf.array());
    }
    out.flush();
  }

  static Map<String, TensorData> readWeights(Path path, DataInputStream in) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new MedsslException(path + ": weights section has a wrong magic number");
    }
    int count = in.readInt();
    if (count < 0 || count > 100_000) {
      throw new MedsslException(path + ": implausible weight count " + count);
    }
    Map<String, TensorData> out = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String name = in.readUTF();
      long[] shape = readShape(path, name, in);
      long n = 1;
      for (long s : shape) {
        n *= s;
      }
      out.put(name, new TensorData(shape, readFloats(in, (int) n)));
    }
    return out;
  }

  /**
   * Reads {@code n} little-endian floats in chunks, growing the array as data arrives, so a
   * truncated file that claims a huge tensor fails at its end instead of allocating the claim.
   */
  private static float[] readFloats(DataInputStream in, int n) throws IOException {
    final int chunk = 1 << 18;
    float[] values = new float[Math.min(n, chunk)];
    byte[] bytes = new byte[Math.min(n, chunk) * 4];
    for (int done = 0; done < n; ) {
      int count = Math.min(chunk, n - done);
      in.readFully(bytes, 0, count * 4);
      if (values.length < done + count) {
        values = java.util.Arrays.copyOf(values, (int) Math.min(n, 2L * (done + count)));
      }
      ByteBuffer.wrap(bytes, 0, count * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values, done, count);
      done += count;
    }
    return values;
  }

  private static long[] readShape(Path path, String name, DataInputStream in) throws IOException {
    int rank = in.readInt();
    if (rank < 0 || rank > 8) {
      throw new MedsslException(path + ": weight " + name + " has implausible rank " + rank);
    }
    long[] shape = new long[rank];
    long n = 1;
    for (int d = 0; d < rank; d++) {
      shape[d] = in.readLong();
      if (shape[d] < 0 || shape[d] > 1 << 28) {
        throw new MedsslException(path + ": weight " + name + " has implausible dimension " + shape[d]);
      }
      n *= shape[d];
      if (n > 1 << 28) {
        throw new MedsslException(path + ": weight " + name + " is implausibly large");
      }
    }
    return shape;
  }

  /** A fresh metadata object to fill before writing. */
  public static ObjectNode newMetadata() {
    return JSON.createObjectNode();
  }

}
