package org.medssl.nn;

import java.util.Locale;
import org.medssl.MedsslException;

/** Normalisation layer used after each convolution. */
public enum NormKind {
  /** Per-sample statistics: nnU-Net's default, robust to batches of 2. */
  INSTANCE,
  /** Running statistics, as in the seeds' U-Nets; needs batches larger than a few samples. */
  BATCH,
  /** Groups of channels; independent of batch size. */
  GROUP;

  public static NormKind parse(String text) {
    try {
      return valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new MedsslException("norm: expected instance, batch or group, got '" + text + "'");
    }
  }
}
