package org.medssl.cli;

import org.medssl.nn.NormKind;
import org.medssl.nn.Backbone;
import picocli.CommandLine.Option;

/** The U-Net shape, shared by pretrain and finetune (they must agree for weights to transfer). */
final class NetworkOptions {
  @Option(names = "--channels", defaultValue = "16,32,64,128", split = ",",
      description = "U-Net channels per stage; pretraining and fine-tuning must agree (default: ${DEFAULT-VALUE}).")
  int[] channels;

  @Option(names = "--norm", defaultValue = "instance", description = "instance, batch or group (default: ${DEFAULT-VALUE}).")
  String norm;

  Backbone backbone() {
    return Backbone.unet2d(channels, NormKind.parse(norm));
  }
}
