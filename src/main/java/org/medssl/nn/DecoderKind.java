package org.medssl.nn;

import java.util.Locale;
import org.medssl.MedsslException;

/** The decoder a segmentation network puts on its encoder. */
public enum DecoderKind {
  /** U-Net expanding path: transposed convolution, concatenated skip, two convolutions per level. */
  UNET("unet"),
  /** PGL's decoder-light network: ASPP on the bottleneck, transposed-conv blocks, summed skips. */
  LIGHT("light");

  private final String label;

  DecoderKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static DecoderKind parse(String text) {
    for (DecoderKind k : values()) {
      if (k.label.equals(text.toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new MedsslException("decoder: expected unet or light, got '" + text + "'");
  }
}
