package org.medssl.nn;

import java.util.Arrays;

/**
 * The encoder a pretraining is for and fine-tuning builds: dimensionality, family, channels per
 * stage and normalisation. Pretraining and fine-tuning must agree on it, or the weights will
 * not transfer.
 */
public record Backbone(Dims dims, EncoderKind encoder, int[] channels, NormKind norm) {
  public Backbone {
    if (channels.length < 2) {
      throw new IllegalArgumentException("an encoder needs at least 2 stages, got " + Arrays.toString(channels));
    }
    channels = channels.clone();
  }

  /** A 2D U-Net encoder, the default of the 2D methods. */
  public static Backbone unet2d(int[] channels, NormKind norm) {
    return new Backbone(Dims.TWO, EncoderKind.UNET, channels, norm);
  }

  @Override
  public int[] channels() {
    return channels.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Backbone b && dims == b.dims && encoder == b.encoder && norm == b.norm
        && Arrays.equals(channels, b.channels);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(dims, encoder, norm, Arrays.hashCode(channels));
  }

  /**
   * The record's text with the channels written out: the default would print the array's identity
   * ({@code [I@1b2c3d}), which differs between processes, and a fine-tuning checkpoint's settings
   * are this text, so a re-run could not resume a cell another process had checkpointed.
   */
  @Override
  public String toString() {
    return "Backbone[dims=" + dims + ", encoder=" + encoder + ", channels=" + Arrays.toString(channels) + ", norm="
        + norm + "]";
  }

  public int embeddingChannels() {
    return channels[channels.length - 1];
  }

  public int downsamplingFactor() {
    return 1 << (channels.length - 1);
  }

  /** Stable text for fingerprints and checkpoint settings. */
  public String describe() {
    return dims.count() + "d " + encoder.label() + " " + Arrays.toString(channels) + " " + norm.name().toLowerCase(java.util.Locale.ROOT);
  }
}
