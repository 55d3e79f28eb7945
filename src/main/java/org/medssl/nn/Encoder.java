package org.medssl.nn;

import java.util.List;
import java.util.random.RandomGenerator;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.Tensor;

/**
 * A contracting path: feature maps at every stage, finest first, each stage at half the
 * resolution of the one before. Weights are named {@code encoder.*} (or another prefix for
 * the online copy of momentum methods).
 */
public interface Encoder {
  String PREFIX = "encoder.";

  /** Feature maps of every stage, finest first; the last is the bottleneck. */
  List<Tensor> forward(Tensor x, boolean training);

  int[] stageChannels();

  /** Input sizes must be divisible by this to survive the downsampling. */
  default int downsamplingFactor() {
    return 1 << (stageChannels().length - 1);
  }

  /** The encoder a backbone describes, with weights under {@code prefix}. */
  static Encoder create(ParamStore store, String prefix, Backbone backbone, int inChannels, RandomGenerator rng) {
    return switch (backbone.encoder()) {
      case UNET -> new PlainEncoder(store, prefix, backbone.dims(), inChannels, backbone.channels(), backbone.norm(), rng);
      case RESNET18, RESNET50 -> new ResNetEncoder(store, prefix, backbone, inChannels, rng);
    };
  }

  static Encoder create(ParamStore store, Backbone backbone, int inChannels, RandomGenerator rng) {
    return create(store, PREFIX, backbone, inChannels, rng);
  }
}
