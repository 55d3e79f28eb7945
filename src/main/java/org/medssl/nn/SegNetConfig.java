package org.medssl.nn;

/**
 * Architecture of a segmentation network: the encoder ({@link Backbone}), the decoder put on it,
 * input channels and output classes (background included).
 */
public record SegNetConfig(Backbone backbone, DecoderKind decoder, int inChannels, int classes) {

  public SegNetConfig {
    if (inChannels < 1 || classes < 2) {
      throw new IllegalArgumentException("need >= 1 input channel and >= 2 classes");
    }
  }

  /** A U-Net (plain encoder, U-Net decoder). */
  public SegNetConfig(Dims dims, int inChannels, int classes, int[] channels, NormKind norm) {
    this(new Backbone(dims, EncoderKind.UNET, channels, norm), DecoderKind.UNET, inChannels, classes);
  }

  /** The default for 2D slices of about 96-128 pixels: a U-Net with four stages 16-32-64-128. */
  public static SegNetConfig default2d(int classes) {
    return new SegNetConfig(Dims.TWO, 1, classes, new int[] {16, 32, 64, 128}, NormKind.INSTANCE);
  }

  public Dims dims() {
    return backbone.dims();
  }

  public int[] channels() {
    return backbone.channels();
  }

  public NormKind norm() {
    return backbone.norm();
  }
}
