package org.medssl.nn;

import java.util.Arrays;

/**
 * Architecture of a U-Net: dimensionality, input channels, output classes (background included),
 * channels per stage and the normalisation.
 */
public record UNetConfig(Dims dims, int inChannels, int classes, int[] channels, NormKind norm) {

  public UNetConfig {
    if (inChannels < 1 || classes < 2) {
      throw new IllegalArgumentException("need >= 1 input channel and >= 2 classes");
    }
    if (channels.length < 2) {
      throw new IllegalArgumentException("a U-Net needs at least 2 stages, got " + Arrays.toString(channels));
    }
    channels = channels.clone();
  }

  /** The default for 2D slices of about 96-128 pixels: four stages 16-32-64-128. */
  public static UNetConfig default2d(int classes) {
    return new UNetConfig(Dims.TWO, 1, classes, new int[] {16, 32, 64, 128}, NormKind.INSTANCE);
  }

  @Override
  public int[] channels() {
    return channels.clone();
  }
}
