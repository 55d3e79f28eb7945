package org.medssl.io.pytorch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medssl.MedsslException;
import org.medssl.io.AtomicFiles;
import org.medssl.tensor.TensorData;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * {@code {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}}, and
 * the tensors' raw little-endian bytes, offsets relative to the end of the header. No Java library
 * on Maven Central reads it; the format is small enough to check completely.
 */
final class SafeTensors {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The format's own bound on the header, against a hostile length. */
  static final long MAX_HEADER = 100L << 20;
  static final String METADATA = "__metadata__";

  private SafeTensors() {}

  static ExternalWeights read(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      long fileSize = Files.size(path);
      long headerLength = ByteBuffer.wrap(in.readNBytes(8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (headerLength <= 0 || headerLength > MAX_HEADER || headerLength > fileSize - 8) {
        throw new MedsslException(path + ": safetensors header length " + headerLength + " does not fit the file of "
            + fileSize + " bytes");
      }
      JsonNode header = JSON.readTree(in.readNBytes((int) headerLength));
      if (!(header instanceof ObjectNode)) {
        throw new MedsslException(path + ": the safetensors header is not a JSON object");
      }
      long dataSize = fileSize - 8 - headerLength;
      if (dataSize > Integer.MAX_VALUE - 8) {
        throw new MedsslException(path + ": tensors larger than 2 GB in one file are not read");
      }
      ByteBuffer data = ByteBuffer.wrap(in.readNBytes((int) dataSize)).order(ByteOrder.LITTLE_ENDIAN);
      Map<String, TensorData> weights = new LinkedHashMap<>();
      List<String> skipped = new ArrayList<>();
      Map<String, String> metadata = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (METADATA.equals(e.getKey())) {
          e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
          continue;
        }
        tensor(path, e.getKey(), e.getValue(), data, weights, skipped);
      }
      return new ExternalWeights(weights, skipped, metadata, "safetensors");
    } catch (JsonProcessingException e) {
      throw new MedsslException(path + ": the safetensors header is not valid JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new MedsslException(path + ": cannot read (" + e.getMessage() + ")");
    }
  }

  private static void tensor(Path path, String name, JsonNode spec, ByteBuffer data, Map<String, TensorData> weights,
      List<String> skipped) {
    DType type = DType.ofSafetensors(spec.path("dtype").asText(""));
    JsonNode shapeNode = spec.path("shape");
    JsonNode offsets = spec.path("data_offsets");
    if (type == null || !shapeNode.isArray() || offsets.size() != 2) {
      throw new MedsslException(path + ": tensor " + name + " needs a known dtype, a shape and two data_offsets, got "
          + spec);
    }
    if (!type.floating) {
      skipped.add(name + " (" + type + ")");
      return;
    }
    long[] shape = new long[shapeNode.size()];
    long count = 1;
    for (int d = 0; d < shape.length; d++) {
      shape[d] = shapeNode.get(d).asLong(-1);
      if (shape[d] < 0) {
        throw new MedsslException(path + ": tensor " + name + " has a negative dimension");
      }
      count = shape[d] > 0 && count > Integer.MAX_VALUE / shape[d] ? Long.MAX_VALUE : count * shape[d];
    }
    long begin = offsets.get(0).asLong(-1);
    long end = offsets.get(1).asLong(-1);
    if (count > Integer.MAX_VALUE || begin < 0 || end > data.capacity() || end - begin != count * type.bytes) {
      throw new MedsslException(path + ": tensor " + name + " of shape " + java.util.Arrays.toString(shape) + " "
          + type + " does not fit data_offsets [" + begin + ", " + end + "] of " + data.capacity() + " bytes");
    }
    ByteBuffer slice = data.slice((int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[(int) count];
    for (int i = 0; i < values.length; i++) {
      values[i] = type.read(slice, i);
    }
    weights.put(name, new TensorData(shape, values));
  }

  /** Writes fp32 {@code weights} with string {@code metadata} in the header's {@code __metadata__}. */
  static void write(Path path, Map<String, TensorData> weights, Map<String, String> metadata) {
    ObjectNode header = JSON.createObjectNode();
    ObjectNode meta = header.putObject(METADATA);
    metadata.forEach(meta::put);
    long offset = 0;
    for (Map.Entry<String, TensorData> e : weights.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", "F32");
      long[] shape = e.getValue().shape();
      var dims = t.putArray("shape");
      for (long s : shape) {
        dims.add(s);
      }
      long end = offset + 4L * e.getValue().values().length;
      t.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    byte[] json = padded(header.toString().getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(path, out -> {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
      out.write(json);
      for (TensorData t : weights.values()) {
        ByteBuffer b = ByteBuffer.allocate(4 * t.values().length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(t.values());
        out.write(b.array());
      }
    });
  }

  /** The header padded with spaces to a multiple of 8 bytes, so the data that follows is aligned. */
  private static byte[] padded(byte[] json) {
    int length = (json.length + 7) / 8 * 8;
    byte[] out = java.util.Arrays.copyOf(json, length);
    java.util.Arrays.fill(out, json.length, length, (byte) ' ');
    return out;
  }
}
