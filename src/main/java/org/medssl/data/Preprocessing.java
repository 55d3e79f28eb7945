package org.medssl.data;

import org.medssl.image.Intensity;
import org.medssl.image.Volume;

/**
 * How images are prepared for the network; stored in the model file so {@code predict} applies
 * exactly the same steps. MR default: clip to the 0.5-99.5 percentiles, z-score, 2D slices
 * along z (axis 2).
 */
public record Preprocessing(String normalization, double clipLowPercentile, double clipHighPercentile, int sliceAxis) {

  public static final String CLIP_ZSCORE = "clip-zscore";

  public Preprocessing {
    if (!CLIP_ZSCORE.equals(normalization)) {
      throw new IllegalArgumentException("unknown normalisation " + normalization);
    }
    if (!(clipLowPercentile >= 0 && clipLowPercentile < clipHighPercentile && clipHighPercentile <= 100)) {
      throw new IllegalArgumentException("clip percentiles must satisfy 0 <= low < high <= 100, got "
          + clipLowPercentile + ", " + clipHighPercentile);
    }
    if (sliceAxis < 0 || sliceAxis > 2) {
      throw new IllegalArgumentException("slice axis must be 0, 1 or 2");
    }
  }

  public static Preprocessing mrDefault() {
    return new Preprocessing(CLIP_ZSCORE, 0.5, 99.5, 2);
  }

  public Volume apply(Volume raw) {
    return Intensity.clipZScore(raw, clipLowPercentile, clipHighPercentile);
  }
}
