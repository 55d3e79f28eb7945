package org.medssl.cli;

import java.nio.file.Path;
import org.medssl.seg.Inferer;
import org.medssl.seg.SegmentationModel;
import org.medssl.seg.SlidingWindowInferer;
import org.medssl.tensor.Precision;
import picocli.CommandLine.Option;

/** {@code --model} and {@code --overlap}, shared by the commands that apply a trained model. */
final class ModelOptions {
  @Option(names = "--model", required = true, description = "A .medssl segmentation model.")
  Path model;

  @Option(names = "--overlap", paramLabel = "FRACTION",
      description = "3D models: overlap of neighbouring sliding windows (default: the model's, 0.5).")
  Double overlap;

  SegmentationModel load() {
    return SegmentationModel.load(model);
  }

  /** The model's inferer; {@code --overlap} on a 2D model is noted and ignored (it infers slice by slice). */
  Inferer inferer(SegmentationModel m, Precision precision) {
    if (overlap != null && m.window() == null) {
      System.out.println("note: --overlap is ignored: this 2D model segments slice by slice");
      return m.inferer(precision, null);
    }
    Inferer inferer = m.inferer(precision, overlap);
    if (inferer instanceof SlidingWindowInferer w) {
      System.out.println("inference: " + w.window().describe());
    }
    return inferer;
  }
}
