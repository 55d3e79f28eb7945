package org.medssl.data.phantom;

import org.medssl.image.LabelMap;
import org.medssl.image.Volume;

/**
 * One generated subject: the MR-like image and its labels (0 background, 1 liver, 2 kidneys,
 * 3 spleen) on the same grid. Labels always exist; a dataset that treats a subject as unlabeled
 * simply doesn't write them.
 */
public record PhantomSubject(long seed, Volume image, LabelMap labels) {

  public PhantomSubject {
    if (image == null || labels == null) {
      throw new IllegalArgumentException("a phantom subject needs an image and labels");
    }
    if (!image.grid().equals(labels.grid())) {
      throw new IllegalArgumentException("phantom image and labels must share a grid");
    }
  }
}
