package org.medssl.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The dataset a training command reads, and which input channel of multi-channel images. */
final class DataOptions {
  @Option(names = "--data", required = true, description = "Dataset directory, layout detected: MSD/nnU-Net"
      + " dataset.json, ACDC patientNNN folders, images/+labels/ (or imagesTr/+labelsTr/) folders, or a folder of"
      + " NIfTI images (unlabeled; pretrain only).")
  Path dir;

  @Option(names = "--channel", description = "Input channel of a multi-channel dataset (e.g. MSD Prostate's T2 and"
      + " ADC), by name or index (default: 0); finetune also takes 'all': every channel as network input (MSD 4D"
      + " images, nnU-Net v2 _0000/_0001 files), and evaluate and predict then read all channels too.")
  String channel;
}
