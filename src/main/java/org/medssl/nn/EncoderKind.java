package org.medssl.nn;

import java.util.Locale;
import org.medssl.MedsslException;

/**
 * The encoder family of a network. The stage channels of a {@link Backbone} set its widths in
 * every family: stage 0 is at full resolution, each later stage halves the resolution.
 */
public enum EncoderKind {
  /** Two 3x3 convolutions per stage and max-pooling between stages (the nnU-Net / U-Net encoder). */
  UNET("unet"),
  /** ResNet-18 layout: basic residual blocks, 2 per stage. */
  RESNET18("resnet18"),
  /** ResNet-50 layout: bottleneck residual blocks, 3-4-6-3 per stage. */
  RESNET50("resnet50");

  private final String label;

  EncoderKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static EncoderKind parse(String text) {
    for (EncoderKind k : values()) {
      if (k.label.equals(text.toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new MedsslException("encoder: expected unet, resnet18 or resnet50, got '" + text + "'");
  }
}
