package org.medssl.seg;

import org.medssl.data.PatchSize;

/**
 * How a 3D model sees a volume: windows of the training patch size, laid out with this fraction
 * of overlap between neighbours. Stored in the model file, so {@code predict} and {@code evaluate}
 * use the patch the network was trained on.
 *
 * @param overlap fraction of the patch shared by neighbouring windows, in [0, {@value #MAX_OVERLAP}]
 */
public record SlidingWindow(PatchSize patch, double overlap) {
  /** nnU-Net's and MONAI's usual choice: every voxel is seen by about two windows per axis. */
  public static final double DEFAULT_OVERLAP = 0.5;
  /** Beyond this the number of windows explodes (20 per patch length per axis). */
  public static final double MAX_OVERLAP = 0.95;

  public SlidingWindow {
    if (patch == null) {
      throw new IllegalArgumentException("a sliding window needs a patch size");
    }
    if (!(overlap >= 0 && overlap <= MAX_OVERLAP)) {
      throw new IllegalArgumentException("overlap must be in [0, " + MAX_OVERLAP + "], got " + overlap);
    }
  }

  public static SlidingWindow of(PatchSize patch) {
    return new SlidingWindow(patch, DEFAULT_OVERLAP);
  }

  public SlidingWindow withOverlap(double value) {
    return new SlidingWindow(patch, value);
  }

  /** One line for logs. */
  public String describe() {
    return "sliding window " + patch + " (d,h,w), overlap " + overlap + ", Gaussian weighting";
  }
}
