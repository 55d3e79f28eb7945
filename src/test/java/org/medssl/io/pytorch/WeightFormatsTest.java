package org.medssl.io.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.MedsslException;
import org.medssl.tensor.TensorData;
import org.medssl.testkit.Python;

/** PyTorch state dicts and safetensors, read and written, checked against Debian's python3-torch. */
class WeightFormatsTest {
  @TempDir
  Path dir;

  static Map<String, TensorData> weights() {
    SplittableRandom rng = new SplittableRandom(3);
    Map<String, TensorData> w = new LinkedHashMap<>();
    for (long[] shape : List.of(new long[] {4, 2, 3, 3}, new long[] {4}, new long[] {2, 5})) {
      float[] v = new float[(int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) rng.nextGaussian();
      }
      w.put("encoder.stage" + w.size() + ".conv1.weight", new TensorData(shape, v));
    }
    return w;
  }

  @Test
  void bothFormatsRoundTripInJava() {
    Map<String, TensorData> w = weights();
    Path pt = dir.resolve("w.pt");
    ExternalWeights.writeTorch(pt, w);
    assertEquals(ExternalWeights.Kind.TORCH, ExternalWeights.kind(pt));
    assertSame(w, ExternalWeights.read(pt).weights());
    Path st = dir.resolve("w.safetensors");
    ExternalWeights.writeSafetensors(st, w, Map.of("medssl", "{\"a\": 1}"));
    assertEquals(ExternalWeights.Kind.SAFETENSORS, ExternalWeights.kind(st));
    ExternalWeights read = ExternalWeights.read(st);
    assertSame(w, read.weights());
    assertEquals("{\"a\": 1}", read.metadata().get("medssl"));
  }

  @Test
  void halfPrecisionValuesConvertExactly() {
    assertEquals(1.0f, DType.halfToFloat((short) 0x3c00));
    assertEquals(-2.0f, DType.halfToFloat((short) 0xc000));
    assertEquals(65504f, DType.halfToFloat((short) 0x7bff));
    assertEquals(0x1p-24f, DType.halfToFloat((short) 0x0001)); // the smallest subnormal
    assertEquals(Float.POSITIVE_INFINITY, DType.halfToFloat((short) 0x7c00));
    assertTrue(Float.isNaN(DType.halfToFloat((short) 0x7e00)));
  }

  @Test
  void filesThatAreNotWeightsAreOneLineNamingThem() throws Exception {
    Path junk = dir.resolve("junk.pt");
    Files.writeString(junk, "not a weight file at all");
    MedsslException e = assertThrows(MedsslException.class, () -> ExternalWeights.read(junk));
    assertTrue(e.getMessage().startsWith(junk + ": neither a .medssl model"), e.getMessage());

    Path pt = dir.resolve("cut.pt");
    ExternalWeights.writeTorch(pt, weights());
    byte[] bytes = Files.readAllBytes(pt);
    Files.write(pt, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    e = assertThrows(MedsslException.class, () -> ExternalWeights.read(pt));
    assertTrue(e.getMessage().startsWith(pt.toString()), e.getMessage());

    Path st = dir.resolve("bad.safetensors");
    ExternalWeights.writeSafetensors(st, weights(), Map.of());
    byte[] s = Files.readAllBytes(st);
    Files.write(st, java.util.Arrays.copyOf(s, s.length - 4)); // the last tensor lacks a value
    e = assertThrows(MedsslException.class, () -> ExternalWeights.read(st));
    assertTrue(e.getMessage().contains("does not fit data_offsets"), e.getMessage());
  }

  /**
   * What users have: {@code torch.save(model.state_dict())} (an OrderedDict, which libtorch's
   * pickle_load refuses), a plain dict, a Lightning-style checkpoint wrapping a DDP model's
   * weights, fp16/bf16/fp64 tensors, a non-contiguous (transposed) view and integer buffers.
   */
  @Test
  void readsWhatPythonTorchSaves() throws Exception {
    assumeTrue(Python.has("torch"), "python3 with torch");
    Python.run(dir, """
        import collections, torch
        g = torch.Generator().manual_seed(0)
        a = torch.randn(3, 4, generator=g)
        sd = collections.OrderedDict([("conv.weight", a), ("bn.num_batches_tracked", torch.tensor(7)),
            ("half", a.half()), ("bf16", a.bfloat16()), ("double", a.double()), ("t", a.t())])
        torch.save(sd, "ordered.pt")
        torch.save(dict(sd), "plain.pt")
        torch.save({"epoch": 3, "state_dict": collections.OrderedDict(("module." + k, v) for k, v in sd.items())},
                   "checkpoint.ckpt")
        a.numpy().tofile("a.f32")
        """);
    float[] a = Python.readFloats(dir.resolve("a.f32"));
    for (String file : List.of("ordered.pt", "plain.pt", "checkpoint.ckpt")) {
      ExternalWeights w = ExternalWeights.read(dir.resolve(file));
      String p = file.equals("checkpoint.ckpt") ? "module." : "";
      assertArrayEquals(a, w.weights().get(p + "conv.weight").values(), file);
      assertArrayEquals(new long[] {3, 4}, w.weights().get(p + "conv.weight").shape());
      assertArrayEquals(a, w.weights().get(p + "double").values(), 1e-7f);
      assertArrayEquals(a, w.weights().get(p + "half").values(), 2e-3f);
      assertArrayEquals(a, w.weights().get(p + "bf16").values(), 2e-2f);
      float[] t = w.weights().get(p + "t").values(); // (4, 3): element (i, j) is a[j][i]
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 3; j++) {
          assertEquals(a[j * 4 + i], t[i * 3 + j]);
        }
      }
      assertEquals(List.of(p + "bn.num_batches_tracked (LongStorage)"), w.skipped(), file);
    }
  }

  @Test
  void pythonTorchReadsWhatWeWrite() throws Exception {
    assumeTrue(Python.has("torch"), "python3 with torch");
    Map<String, TensorData> w = weights();
    ExternalWeights.writeTorch(dir.resolve("ours.pt"), w);
    ExternalWeights.writeSafetensors(dir.resolve("ours.safetensors"), w, Map.of("medssl", "{}"));
    String out = Python.run(dir, """
        import json, struct, torch
        sd = torch.load("ours.pt", weights_only=True)  # the restricted unpickler accepts it
        print(type(sd).__name__, list(sd.keys()))
        for k, v in sd.items():
            v.numpy().tofile(k + ".pt.f32")
        raw = open("ours.safetensors", "rb").read()
        n = struct.unpack("<Q", raw[:8])[0]
        header = json.loads(raw[8:8 + n])
        print(header["__metadata__"])
        for k, t in header.items():
            if k != "__metadata__":
                b, e = t["data_offsets"]
                open(k + ".st.f32", "wb").write(raw[8 + n + b:8 + n + e])
        """);
    assertTrue(out.startsWith("OrderedDict " + List.copyOf(w.keySet()).toString().replace("[", "['").replace("]", "']")
        .replace(", ", "', '")), out);
    assertTrue(out.contains("{'medssl': '{}'}"), out);
    for (String name : w.keySet()) {
      assertArrayEquals(w.get(name).values(), Python.readFloats(dir.resolve(name + ".pt.f32")), name);
      assertArrayEquals(w.get(name).values(), Python.readFloats(dir.resolve(name + ".st.f32")), name);
    }
  }

  private static void assertSame(Map<String, TensorData> expected, Map<String, TensorData> actual) {
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
    expected.forEach((name, t) -> {
      assertArrayEquals(t.shape(), actual.get(name).shape(), name);
      assertArrayEquals(t.values(), actual.get(name).values(), name);
    });
  }
}
