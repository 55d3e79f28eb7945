package org.medssl.nn;

import java.util.random.RandomGenerator;
import org.medssl.tensor.Init;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.Tensor;

/** Encoder, decoder and a 1x1 convolution to class logits. */
public final class SegNet implements AutoCloseable {
  public static final String HEAD_PREFIX = "head.";
  private final SegNetConfig config;
  private final ParamStore weights = new ParamStore();
  private final UNetBody body;
  private final Tensor headW;
  private final Tensor headB;

  public SegNet(SegNetConfig config, RandomGenerator rng) {
    this.config = config;
    this.body = new UNetBody(weights, config.backbone(), config.decoder(), config.inChannels(), rng);
    int c0 = body.outChannels();
    long[] headShape = config.dims() == Dims.TWO
        ? new long[] {config.classes(), c0, 1, 1}
        : new long[] {config.classes(), c0, 1, 1, 1};
    this.headW = weights.param(HEAD_PREFIX + "w", Init.KAIMING_NORMAL, rng, headShape);
    this.headB = weights.param(HEAD_PREFIX + "b", Init.ZEROS, rng, config.classes());
  }

  /** Class logits {@code (N, classes, ...)} for input {@code (N, inChannels, ...)}. */
  public Tensor forward(Tensor x) {
    return body.forward(x).conv(headW, headB, 1);
  }

  public void train(boolean value) {
    body.train(value);
  }

  public SegNetConfig config() {
    return config;
  }

  public ParamStore weights() {
    return weights;
  }

  public int downsamplingFactor() {
    return body.downsamplingFactor();
  }

  @Override
  public void close() {
    weights.close();
  }
}
