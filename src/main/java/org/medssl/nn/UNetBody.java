package org.medssl.nn;

import java.util.List;
import java.util.random.RandomGenerator;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.Tensor;

/**
 * Encoder and decoder without an output head: what segmentation and the dense pretext methods
 * share, registered in a caller's {@link ParamStore} under {@code encoder.*} and
 * {@code decoder.*} so that pretrained weights transfer by name.
 */
public final class UNetBody {
  private final Encoder encoder;
  private final Decoder decoder;
  private boolean training = true;

  /** Any encoder with a U-Net decoder (the dense pretext methods train both). */
  public UNetBody(ParamStore store, Backbone backbone, int inChannels, RandomGenerator rng) {
    this(store, backbone, DecoderKind.UNET, inChannels, rng);
  }

  public UNetBody(ParamStore store, Backbone backbone, DecoderKind decoder, int inChannels, RandomGenerator rng) {
    this.encoder = Encoder.create(store, backbone, inChannels, rng);
    this.decoder = Decoder.create(store, decoder, backbone, rng);
  }

  public List<Tensor> encode(Tensor x) {
    return encoder.forward(x, training);
  }

  public Tensor decode(List<Tensor> features) {
    return decoder.forward(features, training);
  }

  /**
   * The U-Net decoder's map at decoder level {@code level} (0: full resolution; k: 1/2^k, with
   * stage-k channels), running only the blocks above it.
   */
  public Tensor decode(List<Tensor> features, int level) {
    if (level == 0) {
      return decode(features);
    }
    if (!(decoder instanceof UNetDecoder u)) {
      throw new IllegalStateException("intermediate decoder levels need the U-Net decoder");
    }
    return u.forward(features, training, level);
  }

  /** Full-resolution decoder features with {@link #outChannels()} channels. */
  public Tensor forward(Tensor x) {
    return decode(encode(x));
  }

  public Encoder encoder() {
    return encoder;
  }

  public int outChannels() {
    return decoder.outChannels();
  }

  public void train(boolean value) {
    training = value;
  }

  public int downsamplingFactor() {
    return encoder.downsamplingFactor();
  }
}
