package org.medssl.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medssl.tensor.NoGrad;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;
import org.medssl.tensor.TransferReport;
import org.medssl.testkit.Python;

/**
 * torchvision's ResNet-18 and ResNet-50 state dicts ({@code torch.save(model.state_dict())}, with
 * batch-norm statistics drawn at random so they matter) imported into our ResNet encoders at the
 * published widths: every weight of layers 1-4 loads, the stem's 7x7 RGB convolution is reported
 * as not fitting our 3x3 one-channel stem, the classifier has no counterpart, and our stages 2-4
 * compute what torchvision's layer2-layer4 compute on the same input (fp32, eval mode).
 */
class TorchvisionImportTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @CsvSource({"resnet18, RESNET18, '64,64,128,256,512'", "resnet50, RESNET50, '64,256,512,1024,2048'"})
  void torchvisionWeightsLoadAndLayersTwoToFourComputeTheSame(String model, EncoderKind kind, String widths)
      throws Exception {
    assumeTrue(Python.has("torch", "torchvision"), "python3 with torch and torchvision");
    int[] channels = java.util.Arrays.stream(widths.split(",")).mapToInt(Integer::parseInt).toArray();
    Python.run(dir, """
        import sys, torch, torchvision
        torch.manual_seed(0)
        m = getattr(torchvision.models, sys.argv[1])(weights=None).eval()
        for mod in m.modules():
            if isinstance(mod, torch.nn.BatchNorm2d):
                mod.running_mean.uniform_(-0.2, 0.2); mod.running_var.uniform_(0.5, 1.5)
                mod.weight.data.uniform_(0.5, 1.5); mod.bias.data.uniform_(-0.2, 0.2)
        torch.save(m.state_dict(), "tv.pt")
        x = torch.randn(1, int(sys.argv[2]), 16, 16)
        with torch.no_grad():
            y = m.layer4(m.layer3(m.layer2(x)))
        x.numpy().tofile("x.f32"); y.numpy().tofile("y.f32")
        """, model, Integer.toString(channels[1]));
    try (ParamStore store = new ParamStore(); StepScope s = StepScope.open(); NoGrad g = NoGrad.open()) {
      ResNetEncoder enc = (ResNetEncoder) Encoder.create(store, new Backbone(Dims.TWO, kind, channels, NormKind.BATCH),
          1, new SplittableRandom(1));
      List<String> notes = new ArrayList<>();
      TransferReport r = WeightFiles.loadInto(store, dir.resolve("tv.pt"), notes::add);
      assertTrue(notes.contains("conv1.weight -> encoder.stage0.conv.w: shape-mismatched (file [64, 3, 7, 7], network"
          + " [64, 1, 3, 3]), left fresh"), notes.toString());
      assertTrue(notes.contains("fc.weight: no counterpart in the network, not loaded"), notes.toString());
      // torchvision's layer1 keeps the resolution (its max-pooling halved it), ours halves it: a
      // ResNet-18 block then needs a projection shortcut that torchvision's has not
      List<String> fresh = new ArrayList<>(List.of("encoder.stage0.conv.w"));
      if (kind == EncoderKind.RESNET18) {
        fresh.addAll(List.of("encoder.stage1.block0.shortcut.conv.w", "encoder.stage1.block0.shortcut.norm.w",
            "encoder.stage1.block0.shortcut.norm.b", "encoder.stage1.block0.shortcut.norm.running_mean",
            "encoder.stage1.block0.shortcut.norm.running_var"));
      }
      assertEquals(fresh, r.fresh(), "everything else loads");
      assertTrue(r.loaded().contains("encoder.stage4.block1.norm2.running_var"), r.loaded().toString());

      Tensor x = Tensor.of(Python.readFloats(dir.resolve("x.f32")), 1, channels[1], 16, 16);
      Tensor h = x;
      for (int k = 2; k <= 4; k++) {
        h = enc.stage(k, h, false);
      }
      float[] ours = h.toFloats();
      float[] theirs = Python.readFloats(dir.resolve("y.f32"));
      assertEquals(theirs.length, ours.length);
      double worst = 0;
      double largest = 0;
      for (int i = 0; i < ours.length; i++) {
        worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
        largest = Math.max(largest, Math.abs(theirs[i]));
      }
      // fp32 convolutions summed in another order differ by a few ulp of the values involved
      assertTrue(worst <= 1e-4 * Math.max(1, largest), model + ": max abs difference " + worst + " of values up to "
          + largest);
      System.out.printf("%s layer2-4: max abs difference %.3g, largest value %.3g%n", model, worst, largest);
    }
  }
}
