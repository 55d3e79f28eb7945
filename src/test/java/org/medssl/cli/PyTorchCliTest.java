package org.medssl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.testkit.CliRun;
import org.medssl.testkit.Python;

/** The PyTorch world through the CLI: a torchvision checkpoint as --init, and export for PyTorch. */
class PyTorchCliTest {
  @TempDir
  static Path dir;

  @Test
  void aTorchvisionResNetInitialisesFineTuningWithAReportByNameAndTheModelExports() throws Exception {
    assumeTrue(Python.has("torch", "torchvision"), "python3 with torch and torchvision");
    Path data = dir.resolve("ph");
    assertEquals(0, CliRun.of("data", "phantom", "--out", data.toString(), "--subjects", "5", "--seed", "3").code());
    Python.run(dir, "import torch, torchvision; torch.save(torchvision.models.resnet18(weights=None).state_dict(),"
        + " 'resnet18.pth')");
    Path model = dir.resolve("rn.medssl");
    CliRun ft = CliRun.of("finetune", "--data", data.toString(), "--labeled", "1", "--validation", "1", "--init",
        dir.resolve("resnet18.pth").toString(), "--encoder", "resnet18", "--channels", "64,64,128,256,512", "--norm",
        "batch", "--steps", "1", "--batch", "2", "--precision", "fp32", "--out", model.toString());
    assertEquals(0, ft.code(), ft.err());
    assertTrue(ft.out().contains("layer4.1.bn2.running_var -> encoder.stage4.block1.norm2.running_var"), ft.out());
    assertTrue(ft.out().contains("conv1.weight -> encoder.stage0.conv.w: shape-mismatched"), ft.out());
    assertTrue(ft.out().contains("fc.bias: no counterpart in the network, not loaded"), ft.out());
    assertTrue(ft.out().contains("bn1.num_batches_tracked (LongStorage): not a floating-point weight, skipped"),
        ft.out());
    assertTrue(ft.out().contains("initialised from " + dir.resolve("resnet18.pth")), ft.out());

    CliRun resnet = CliRun.of("export", "--model", model.toString(), "--out", dir.resolve("rn.pt").toString());
    assertEquals(0, resnet.code(), resnet.err());

    Path unet = dir.resolve("unet.medssl");
    assertEquals(0, CliRun.of("finetune", "--data", data.toString(), "--labeled", "1", "--validation", "1",
        "--channels", "4,8", "--steps", "1", "--batch", "2", "--precision", "fp32", "--out", unet.toString()).code());
    Path out = dir.resolve("export").resolve("unet.safetensors");
    Files.createDirectories(out.getParent());
    CliRun export = CliRun.of("export", "--model", unet.toString(), "--format", "safetensors", "--out", out.toString());
    assertEquals(0, export.code(), export.err());
    assertTrue(Files.isRegularFile(out.resolveSibling("model.py")) && Files.isRegularFile(out.resolveSibling(
        "unet.json")), export.out());
    String py = Python.run(out.getParent(), "import model; net = model.load('unet.safetensors'); print(type(net).__name__)");
    assertTrue(py.contains("SegNet"), py);
    CliRun again = CliRun.of("finetune", "--data", data.toString(), "--labeled", "1", "--validation", "1",
        "--channels", "4,8", "--steps", "1", "--batch", "2", "--precision", "fp32", "--init", out.toString(), "--out",
        dir.resolve("again.medssl").toString());
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("head.weight -> head.w"), "an export reads back as an init: " + again.out());
  }
}
