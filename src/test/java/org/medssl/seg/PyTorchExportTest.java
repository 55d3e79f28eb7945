package org.medssl.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medssl.MedsslException;
import org.medssl.data.Preprocessing;
import org.medssl.data.PatchSize;
import org.medssl.io.model.ModelFile;
import org.medssl.io.pytorch.ExternalWeights;
import org.medssl.nn.Backbone;
import org.medssl.nn.DecoderKind;
import org.medssl.nn.Dims;
import org.medssl.nn.EncoderKind;
import org.medssl.nn.NormKind;
import org.medssl.nn.SegNet;
import org.medssl.nn.SegNetConfig;
import org.medssl.tensor.NoGrad;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;
import org.medssl.tensor.TensorData;
import org.medssl.testkit.Python;

/**
 * {@code medssl export}: the generated {@code model.py}, loading the exported weights in Debian's
 * python3-torch, computes our logits (2D and 3D, instance, group and batch norm, several input
 * channels), from both weight formats and as TorchScript.
 */
class PyTorchExportTest {
  @TempDir
  Path dir;

  /** A model with every weight (norm statistics included) drawn at random, so nothing is trivially equal. */
  static SegmentationModel model(Dims dims, NormKind norm, int inChannels, EncoderKind encoder) {
    SegNet net = new SegNet(new SegNetConfig(new Backbone(dims, encoder, new int[] {4, 8, 16}, norm),
        DecoderKind.UNET, inChannels, 3), new SplittableRandom(1));
    SplittableRandom rng = new SplittableRandom(2);
    Map<String, TensorData> drawn = new HashMap<>();
    net.weights().snapshot().forEach((name, t) -> {
      float[] v = new float[t.values().length];
      for (int i = 0; i < v.length; i++) {
        v[i] = name.endsWith("running_var") ? (float) (0.5 + rng.nextDouble()) : (float) (0.3 * rng.nextGaussian());
      }
      drawn.put(name, new TensorData(t.shape(), v));
    });
    net.weights().load(drawn);
    net.train(false);
    SlidingWindow window = dims == Dims.THREE ? SlidingWindow.of(new PatchSize(8, 8, 8)) : null;
    return new SegmentationModel(net, Preprocessing.mrDefault(), List.of("background", "a", "b"),
        ModelFile.newMetadata(), window);
  }

  @ParameterizedTest
  @CsvSource({"TWO, INSTANCE, 1, UNET", "TWO, GROUP, 2, UNET", "THREE, BATCH, 1, UNET", "THREE, INSTANCE, 2, UNET",
      "TWO, BATCH, 1, RESNET18", "THREE, GROUP, 1, RESNET50"})
  void theGeneratedModuleComputesOurLogitsFromBothFormatsAndAsTorchScript(Dims dims, NormKind norm, int inChannels,
      EncoderKind encoder) throws Exception {
    assumeTrue(Python.has("torch"), "python3 with torch");
    long[] shape = dims == Dims.TWO ? new long[] {2, inChannels, 16, 24} : new long[] {1, inChannels, 8, 16, 12};
    float[] x = new float[(int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
    SplittableRandom rng = new SplittableRandom(4);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    Python.writeFloats(dir.resolve("x.f32"), x);
    float[] ours;
    try (SegmentationModel m = model(dims, norm, inChannels, encoder)) {
      PyTorchExport.write(m, dir.resolve("m.pt"), PyTorchExport.Format.PT);
      PyTorchExport.write(m, dir.resolve("m.safetensors"), PyTorchExport.Format.SAFETENSORS);
      try (StepScope s = StepScope.open(); NoGrad g = NoGrad.open()) {
        ours = m.net().forward(Tensor.of(x, shape)).toFloats();
      }
    }
    String shapeArg = java.util.Arrays.toString(shape).replaceAll("[\\[\\] ]", "");
    String out = Python.run(dir, """
        import sys, numpy, torch
        import model
        shape = [int(s) for s in sys.argv[1].split(",")]
        x = torch.from_numpy(numpy.fromfile("x.f32", dtype=numpy.float32).reshape(shape))
        for name in ["m.pt", "m.safetensors"]:
            with torch.no_grad():
                model.load(name)(x).numpy().tofile(name + ".f32")
        torch.jit.script(model.load("m.pt")).save("m.ts")
        with torch.no_grad():
            torch.jit.load("m.ts")(x).numpy().tofile("m.ts.f32")
        print("ok")
        """, shapeArg);
    assertTrue(out.contains("ok"), out);
    // the TorchScript file, read back as an init, holds exactly the exported weights under their names
    Map<String, TensorData> exported = ExternalWeights.read(dir.resolve("m.pt")).weights();
    ExternalWeights script = ExternalWeights.read(dir.resolve("m.ts"));
    assertEquals("TorchScript module", script.format());
    assertEquals(new java.util.TreeSet<>(exported.keySet()), new java.util.TreeSet<>(script.weights().keySet()));
    exported.forEach((name, t) -> org.junit.jupiter.api.Assertions.assertArrayEquals(t.values(),
        script.weights().get(name).values(), name));
    for (String file : List.of("m.pt", "m.safetensors", "m.ts")) {
      float[] theirs = Python.readFloats(dir.resolve(file + ".f32"));
      assertEquals(ours.length, theirs.length, file);
      double worst = 0;
      for (int i = 0; i < ours.length; i++) {
        worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
      }
      assertTrue(worst <= 1e-4, file + ": logits differ by up to " + worst);
      System.out.printf("%s %s %s %d channel(s) %s: max |logit difference| %.3g%n", encoder, dims, norm, inChannels,
          file, worst);
      assertEquals(1.0, sameArgmax(ours, theirs, 3, (int) shape[0]), 1e-3, file + ": arg-max agreement");
    }
  }

  @Test
  void exportWritesTheWeightsTheirMetadataAndTheModule() throws Exception {
    try (SegmentationModel m = model(Dims.THREE, NormKind.BATCH, 1, EncoderKind.UNET)) {
      List<Path> files = PyTorchExport.write(m, dir.resolve("net.pt"), PyTorchExport.Format.PT);
      assertEquals(List.of(dir.resolve("net.pt"), dir.resolve("net.json"), dir.resolve("model.py")), files);
      String json = Files.readString(dir.resolve("net.json"));
      assertTrue(json.contains("\"inChannels\" : 1") && json.contains("\"patch\""), json);
      ExternalWeights w = ExternalWeights.read(dir.resolve("net.pt"));
      assertTrue(w.weights().containsKey("encoder.stage0.conv1.weight"), w.weights().keySet().toString());
      assertTrue(w.weights().containsKey("encoder.stage0.norm1.running_var"), w.weights().keySet().toString());
      assertTrue(w.weights().containsKey("head.bias"), w.weights().keySet().toString());
    }
    try (SegNet resnet = new SegNet(new SegNetConfig(new Backbone(Dims.TWO, EncoderKind.RESNET18, new int[] {4, 8},
        NormKind.INSTANCE), DecoderKind.LIGHT, 1, 2), new SplittableRandom(0));
         SegmentationModel m = new SegmentationModel(resnet, Preprocessing.mrDefault(), List.of("b", "a"),
             ModelFile.newMetadata())) {
      MedsslException e = assertThrows(MedsslException.class,
          () -> PyTorchExport.write(m, dir.resolve("r.pt"), PyTorchExport.Format.PT));
      assertTrue(e.getMessage().contains("light decoder"), e.getMessage());
    }
  }

  /** The fraction of voxels whose arg-max class agrees, for logits (n, classes, voxels...). */
  private static double sameArgmax(float[] a, float[] b, int classes, int n) {
    int voxels = a.length / (n * classes);
    int same = 0;
    for (int s = 0; s < n; s++) {
      for (int v = 0; v < voxels; v++) {
        same += argmax(a, s, v, classes, voxels) == argmax(b, s, v, classes, voxels) ? 1 : 0;
      }
    }
    return same / (double) (n * voxels);
  }

  private static int argmax(float[] logits, int sample, int voxel, int classes, int voxels) {
    int best = 0;
    for (int c = 1; c < classes; c++) {
      if (logits[(sample * classes + c) * voxels + voxel] > logits[(sample * classes + best) * voxels + voxel]) {
        best = c;
      }
    }
    return best;
  }
}
