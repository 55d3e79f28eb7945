package org.medssl.cli;

import org.medssl.MedsslException;
import org.medssl.data.PatchSize;
import org.medssl.nn.Backbone;
import org.medssl.nn.Dims;
import org.medssl.nn.EncoderKind;
import org.medssl.nn.NormKind;
import picocli.CommandLine.Option;

/** The network shape, shared by pretrain and finetune (they must agree for weights to transfer). */
final class NetworkOptions {
  @Option(names = "--dims", defaultValue = "2", paramLabel = "2|3",
      description = "2: slices along the slice axis; 3: patches of whole volumes (default: ${DEFAULT-VALUE}).")
  int dims;

  @Option(names = "--patch", paramLabel = "D,H,W",
      description = "3D patch size, slices first; each a multiple of the downsampling factor (default: 32,64,64).")
  String patch;

  @Option(names = "--encoder", defaultValue = "unet", description = "unet, resnet18 or resnet50 (default: ${DEFAULT-VALUE}).")
  String encoder;

  @Option(names = "--channels", defaultValue = "16,32,64,128", split = ",",
      description = "Channels per encoder stage; pretraining and fine-tuning must agree (default: ${DEFAULT-VALUE}).")
  int[] channels;

  @Option(names = "--norm", defaultValue = "instance", description = "instance, batch or group (default: ${DEFAULT-VALUE}).")
  String norm;

  Backbone backbone() {
    return new Backbone(dimensions(), EncoderKind.parse(encoder), channels, NormKind.parse(norm));
  }

  Dims dimensions() {
    if (dims != 2 && dims != 3) {
      throw new MedsslException("--dims: expected 2 or 3, got " + dims);
    }
    return Dims.of(dims);
  }

  /**
   * The 3D patch, checked against the encoder's downsampling factor: {@code --patch} or the
   * default; null for 2D, where {@code --patch} is an error rather than silently ignored.
   */
  PatchSize patch() {
    if (dimensions() == Dims.TWO) {
      if (patch != null) {
        throw new MedsslException("--patch " + patch + ": a patch size is for 3D networks (add --dims 3)");
      }
      return null;
    }
    PatchSize p = patch == null ? PatchSize.DEFAULT_3D : PatchSize.parse("--patch", patch);
    return p.requireDivisibleBy(backbone().downsamplingFactor(), "--patch");
  }
}
