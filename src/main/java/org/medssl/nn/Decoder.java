package org.medssl.nn;

import java.util.List;
import java.util.random.RandomGenerator;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.Tensor;

/** An expanding path from encoder features (finest first) to a full-resolution feature map. */
public interface Decoder {
  String PREFIX = "decoder.";

  Tensor forward(List<Tensor> features, boolean training);

  /** Channels of the full-resolution map (what the 1x1 head receives). */
  int outChannels();

  static Decoder create(ParamStore store, DecoderKind kind, Backbone backbone, RandomGenerator rng) {
    return switch (kind) {
      case UNET -> new UNetDecoder(store, backbone.dims(), backbone.channels(), backbone.norm(), rng);
      case LIGHT -> new LightDecoder(store, backbone, rng);
    };
  }
}
