package org.medssl.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.medssl.seg.PyTorchExport;
import org.medssl.seg.SegmentationModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code medssl export}: a model as PyTorch files. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write a model for PyTorch: its weights (torch.save state dict or safetensors), NAME.json"
        + " (architecture, preprocessing, labels) and model.py beside them: net = model.load('m.pt').")
final class ExportCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "A .medssl segmentation model.")
  Path model;

  @Option(names = "--format", defaultValue = "pt", description = "pt or safetensors (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--out", required = true, description = "The weight file to write, e.g. m.pt.")
  Path out;

  @Mixin
  EngineOptions engine;

  @Override
  public Integer call() {
    PyTorchExport.Format f = PyTorchExport.Format.parse(format);
    engine.start();
    List<Path> files;
    try (SegmentationModel m = SegmentationModel.load(model)) {
      files = PyTorchExport.write(m, out, f);
    }
    files.forEach(p -> System.out.println("wrote " + p));
    System.out.println("in Python: import model; net = model.load('" + out + "')");
    return 0;
  }
}
