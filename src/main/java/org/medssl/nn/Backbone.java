package org.medssl.nn;


/**
 * The segmentation network a pretraining is for: U-Net channels per stage and normalisation. It
 * must match the network fine-tuning builds, or the weights will not transfer.
 */
public record Backbone(int[] channels, NormKind norm) {
  public Backbone {
    channels = channels.clone();
  }

  @Override
  public int[] channels() {
    return channels.clone();
  }

  public int embeddingChannels() {
    return channels[channels.length - 1];
  }
}
