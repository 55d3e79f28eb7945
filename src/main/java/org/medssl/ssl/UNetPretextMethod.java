package org.medssl.ssl;

import java.util.List;
import java.util.random.RandomGenerator;
import org.medssl.nn.Backbone;
import org.medssl.nn.UNetBody;

/**
 * A method that pretrains a whole U-Net, encoder and decoder (masked denoising, contrastive), so
 * fine-tuning can take both; its pretext heads sit on the body's output or on a decoder level.
 */
public abstract class UNetPretextMethod extends BasePretextMethod {
  /** The U-Net whose {@code encoder.*} and {@code decoder.*} weights fine-tuning takes. */
  protected final UNetBody body;

  /** Creates the body first, so the heads a subclass adds draw their initial weights after it. */
  protected UNetPretextMethod(String name, Backbone backbone, RandomGenerator rng) {
    super(name, List.of("encoder", "decoder"));
    this.body = new UNetBody(store, backbone, 1, rng);
  }
}
