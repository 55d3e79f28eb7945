package org.medssl.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.medssl.data.InputChannel;
import org.medssl.io.nifti.NiftiImage;
import org.medssl.io.nifti.NiftiReader;
import org.medssl.io.nifti.NiftiWriter;
import org.medssl.image.LabelMap;
import org.medssl.image.MultiChannelVolume;
import org.medssl.image.Volume;
import org.medssl.seg.SegmentationModel;
import org.medssl.seg.Inferer;
import org.medssl.tensor.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code medssl predict}: segment one scan, output on the scan's own grid and affine. */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Segment a NIfTI image with a trained model; the mask is written on the input's grid and affine.")
final class PredictCommand implements Callable<Integer> {
  @Mixin
  ModelOptions model;

  @Option(names = "--input", required = true, description = "Input image (.nii / .nii.gz).")
  Path input;

  @Option(names = "--output", required = true, description = "Output label map (.nii / .nii.gz).")
  Path output;

  @Option(names = "--channel", description = "Volume of a 4D input to segment, by index or by the name of a channel"
      + " of the model's training data (default: the channel the model was trained on).")
  String channel;

  @Mixin
  EngineOptions engine;

  @Override
  public Integer call() {
    Precision precision = engine.start();
    NiftiImage image = NiftiReader.read(input);
    try (SegmentationModel m = model.load()) {
      MultiChannelVolume raw = InputChannel.forModel(image, input, channel, InputChannel.recorded(m.provenance()),
          m.net().config().inChannels(), System.out::println);
      long nonFinite = raw.channels().stream().mapToLong(Volume::nonFiniteCount).sum();
      if (nonFinite > 0) {
        System.out.println("note: " + input + " has " + nonFinite + " non-finite voxels (NaN/Inf); they are treated as"
            + " the low clip intensity");
      }
      MultiChannelVolume volume = raw.map(m.preprocessing()::apply);
      Inferer inferer = model.inferer(m, precision);
      Inferer.Work work = inferer.work(volume.grid());
      LabelMap labels;
      try (Progress.Bar bar = Progress.bar("predict", work.total(), work.unit())) {
        labels = inferer.predict(m.net(), volume, bar::stepTo);
      }
      labels = m.preprocessing().restore(labels, raw.grid()); // back onto the scan's grid and orientation
      NiftiWriter.writeLabels(output, labels, image.header());
      System.out.println("wrote " + output + " (" + labels.grid().shapeString() + ", labels " + m.labelNames() + ")");
    }
    return 0;
  }
}
