package org.medssl.data;

import org.medssl.image.LabelMap;
import org.medssl.image.Volume;

/** One preprocessed scan: its image and, for labeled subjects, its label map (else null). */
public record Subject(String id, Volume image, LabelMap labels) {
  public Subject {
    if (labels != null && !labels.grid().sameGeometry(image.grid())) {
      throw new IllegalArgumentException(id + ": image and label grids differ");
    }
  }

  public boolean labeled() {
    return labels != null;
  }
}
