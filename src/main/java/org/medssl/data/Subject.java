package org.medssl.data;

import org.medssl.image.LabelMap;
import org.medssl.image.MultiChannelVolume;
import org.medssl.image.Volume;

/**
 * One preprocessed scan: its input channels (one for most datasets) and, for labeled subjects, its
 * label map (else null).
 */
public record Subject(String id, MultiChannelVolume input, LabelMap labels) {
  public Subject {
    if (labels != null && !labels.grid().sameGeometry(input.grid())) {
      throw new IllegalArgumentException(id + ": image and label grids differ");
    }
  }

  /** A single-channel subject. */
  public Subject(String id, Volume image, LabelMap labels) {
    this(id, MultiChannelVolume.of(image), labels);
  }

  /**
   * The image of a single-channel subject. Paths that read one channel (pretraining, figures) call
   * this, so a multi-channel subject reaching them fails here instead of losing its other channels.
   */
  public Volume image() {
    if (input.count() != 1) {
      throw new IllegalStateException(id + " has " + input.count() + " input channels where one is expected");
    }
    return input.channel(0);
  }

  public int channelCount() {
    return input.count();
  }

  public boolean labeled() {
    return labels != null;
  }
}
