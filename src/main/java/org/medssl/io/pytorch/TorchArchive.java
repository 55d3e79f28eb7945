package org.medssl.io.pytorch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.medssl.MedsslException;
import org.medssl.io.AtomicFiles;
import org.medssl.tensor.TensorData;

/**
 * PyTorch's {@code torch.save} zip format (since 1.6) for state dicts: {@code <name>/data.pkl}
 * (the pickled dict, see {@link PickleReader}) beside one raw little-endian file per storage,
 * {@code <name>/data/<key>}. Both a plain dict and an {@code OrderedDict} are read (libtorch's own
 * {@code pickle_load} refuses the latter, the form {@code torch.save(model.state_dict())} writes),
 * as is a checkpoint that wraps the weights under {@code state_dict}, {@code model},
 * {@code model_state_dict} or nnU-Net's {@code network_weights}.
 */
final class TorchArchive {
  /** Keys under which training checkpoints keep their weights, tried in this order. */
  static final List<String> WRAPPER_KEYS = List.of("state_dict", "model_state_dict", "model", "network_weights",
      "net");

  private TorchArchive() {}

  static boolean isZip(byte[] head) {
    return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
  }

  static ExternalWeights read(Path path) {
    try (ZipFile zip = new ZipFile(path.toFile())) {
      ZipEntry pkl = zip.stream().filter(e -> e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl"))
          .findFirst().orElseThrow(() -> new MedsslException(path + ": a zip without data.pkl: not a torch.save file"));
      String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
      requireLittleEndian(zip, prefix, path);
      Object root = PickleReader.read(bytes(zip, pkl, path), path + " (data.pkl)");
      Map<?, ?> dict = stateDict(root, path);
      Map<String, TensorData> weights = new LinkedHashMap<>();
      List<String> skipped = new ArrayList<>();
      Map<String, byte[]> storages = new HashMap<>(); // views of one storage (tied weights) read it once
      for (Map.Entry<?, ?> e : dict.entrySet()) {
        String name = String.valueOf(e.getKey());
        if (!(e.getValue() instanceof PickleReader.TensorRef t)) {
          skipped.add(name + " (not a tensor)");
          continue;
        }
        DType type = DType.ofStorage(t.storage().dtype());
        if (type == null || !type.floating) {
          skipped.add(name + " (" + t.storage().dtype() + ")");
          continue;
        }
        ZipEntry data = zip.getEntry(prefix + "data/" + t.storage().key());
        if (data == null) {
          throw new MedsslException(path + ": tensor " + name + " refers to storage " + t.storage().key()
              + ", which the archive lacks");
        }
        if (!storages.containsKey(data.getName())) {
          storages.put(data.getName(), bytes(zip, data, path));
        }
        weights.put(name, gather(name, t, type, storages.get(data.getName()), path));
      }
      return new ExternalWeights(weights, skipped, Map.of(), root instanceof PickleReader.PyObject
          ? "TorchScript module" : "PyTorch state_dict");
    } catch (ZipException e) {
      throw new MedsslException(path + ": not a readable zip (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new MedsslException(path + ": cannot read (" + e.getMessage() + ")");
    }
  }

  /** The dict of tensors: the root, the weights a checkpoint wraps, or a TorchScript module's. */
  private static Map<?, ?> stateDict(Object root, Path path) {
    if (root instanceof PickleReader.PyObject module) {
      Map<String, Object> flat = new LinkedHashMap<>();
      flatten(module, "", flat);
      if (flat.isEmpty()) {
        throw new MedsslException(path + ": a " + module.type.qualified() + " without parameters");
      }
      return flat;
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new MedsslException(path + ": holds a " + root.getClass().getSimpleName() + ", not a state_dict (save"
          + " model.state_dict(), not the model object)");
    }
    if (map.values().stream().anyMatch(v -> v instanceof PickleReader.TensorRef)) {
      return map;
    }
    for (String key : WRAPPER_KEYS) {
      if (map.get(key) instanceof Map<?, ?> inner
          && inner.values().stream().anyMatch(v -> v instanceof PickleReader.TensorRef)) {
        return inner;
      }
    }
    throw new MedsslException(path + ": no tensors at the top level or under " + WRAPPER_KEYS + "; its keys are "
        + map.keySet());
  }

  /**
   * A TorchScript module's tensors by the names its state_dict() gives them: attributes that are
   * tensors (parameters and buffers), and those of submodules under their attribute names.
   */
  private static void flatten(PickleReader.PyObject module, String prefix, Map<String, Object> out) {
    module.state.forEach((key, value) -> {
      if (value instanceof PickleReader.TensorRef t) {
        out.put(prefix + key, t);
      } else if (value instanceof PickleReader.PyObject child) {
        flatten(child, prefix + key + ".", out);
      }
    });
  }

  /** The tensor's elements in row-major order, read through its offset and strides, as fp32. */
  private static TensorData gather(String name, PickleReader.TensorRef t, DType type, byte[] storage, Path path) {
    long[] size = t.size();
    if (size.length != t.stride().length || t.offset() < 0) {
      throw new MedsslException(path + ": tensor " + name + " has " + size.length + " sizes but "
          + t.stride().length + " strides, or a negative offset");
    }
    long count = 1;
    long last = t.offset();
    try {
      for (int d = 0; d < size.length; d++) {
        if (size[d] < 0 || t.stride()[d] < 0) {
          throw new MedsslException(path + ": tensor " + name + " has a negative size or stride");
        }
        count = Math.multiplyExact(count, size[d]);
        last = Math.addExact(last, Math.multiplyExact(Math.max(0, size[d] - 1), t.stride()[d]));
      }
    } catch (ArithmeticException e) {
      throw new MedsslException(path + ": tensor " + name + " has sizes or strides beyond any storage");
    }
    if (count > Integer.MAX_VALUE || count > 0 && last >= storage.length / type.bytes) {
      throw new MedsslException(path + ": tensor " + name + " reaches past its storage of " + storage.length
          + " bytes");
    }
    ByteBuffer data = ByteBuffer.wrap(storage).order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[(int) count];
    long[] index = new long[size.length];
    for (int i = 0; i < values.length; i++) {
      long at = t.offset();
      for (int d = 0; d < size.length; d++) {
        at += index[d] * t.stride()[d];
      }
      values[i] = type.read(data, at);
      for (int d = size.length - 1; d >= 0 && ++index[d] == size[d]; d--) {
        index[d] = 0;
      }
    }
    return new TensorData(size, values);
  }

  private static void requireLittleEndian(ZipFile zip, String prefix, Path path) throws IOException {
    ZipEntry order = zip.getEntry(prefix + "byteorder");
    if (order != null && !"little".equals(new String(bytes(zip, order, path), StandardCharsets.US_ASCII).strip())) {
      throw new MedsslException(path + ": saved on a big-endian machine; only little-endian archives are read");
    }
  }

  private static byte[] bytes(ZipFile zip, ZipEntry e, Path path) throws IOException {
    if (e.getSize() > Integer.MAX_VALUE - 8) {
      throw new MedsslException(path + ": " + e.getName() + " is larger than 2 GB");
    }
    try (InputStream in = zip.getInputStream(e)) {
      return in.readAllBytes();
    }
  }

  /**
   * Writes {@code weights} as {@code torch.save(OrderedDict)} would: fp32 storages, one per
   * tensor, stored (uncompressed) under {@code archive/}, which {@code torch.load} reads
   * (with {@code weights_only=True} too: only OrderedDict, _rebuild_tensor_v2 and FloatStorage).
   */
  static void write(Path path, Map<String, TensorData> weights) {
    List<String> names = new ArrayList<>(weights.keySet());
    AtomicFiles.write(path, out -> {
      ZipOutputStream zip = new ZipOutputStream(out);
      stored(zip, "archive/data.pkl", statePickle(weights));
      stored(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < names.size(); i++) {
        float[] v = weights.get(names.get(i)).values();
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        stored(zip, "archive/data/" + i, b.array());
      }
      stored(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
      zip.finish();
    });
  }

  private static byte[] statePickle(Map<String, TensorData> weights) {
    PickleWriter p = new PickleWriter();
    p.global("collections", "OrderedDict").emptyTuple().reduce().mark();
    int key = 0;
    for (Map.Entry<String, TensorData> e : weights.entrySet()) {
      long[] shape = e.getValue().shape();
      p.string(e.getKey()).global("torch._utils", "_rebuild_tensor_v2").mark();
      p.mark().string("storage").global("torch", "FloatStorage").string(Integer.toString(key++)).string("cpu")
          .integer(e.getValue().values().length).tuple().persistentId();
      p.integer(0).longs(shape).longs(contiguousStrides(shape)).bool(false);
      p.global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce();
    }
    return p.setItems().stop();
  }

  private static long[] contiguousStrides(long[] shape) {
    long[] strides = new long[shape.length];
    long s = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      strides[d] = s;
      s *= shape[d];
    }
    return strides;
  }

  private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }
}
