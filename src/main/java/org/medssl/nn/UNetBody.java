package org.medssl.nn;

import java.util.List;
import java.util.random.RandomGenerator;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.Tensor;

/**
 * Encoder and U-Net decoder without an output head: what segmentation and the dense pretext
 * methods share, registered in a caller's {@link ParamStore} under {@code encoder.*} and
 * {@code decoder.*} so that pretrained weights transfer by name.
 */
public final class UNetBody {
  private final Encoder encoder;
  private final UNetDecoder decoder;
  private boolean training = true;

  public UNetBody(ParamStore store, Dims dims, int inChannels, int[] channels, NormKind norm, RandomGenerator rng) {
    this.encoder = new Encoder(store, dims, inChannels, channels, norm, rng);
    this.decoder = new UNetDecoder(store, dims, channels, norm, rng);
  }

  public List<Tensor> encode(Tensor x) {
    return encoder.forward(x, training);
  }

  public Tensor decode(List<Tensor> features) {
    return decoder.forward(features, training);
  }

  /** Full-resolution decoder features with stage-0 channels. */
  public Tensor forward(Tensor x) {
    return decode(encode(x));
  }

  public Encoder encoder() {
    return encoder;
  }

  public void train(boolean value) {
    training = value;
  }

  public int downsamplingFactor() {
    return encoder.downsamplingFactor();
  }
}
