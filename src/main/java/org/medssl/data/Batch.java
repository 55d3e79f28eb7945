package org.medssl.data;

/** A batch of 2D samples as flat arrays: images {@code (n, 1, h, w)}, labels {@code (n, h, w)}. */
public record Batch(float[] images, long[] labels, int n, int h, int w) {
  public Batch {
    if (images.length != n * h * w || (labels != null && labels.length != n * h * w)) {
      throw new IllegalArgumentException("batch arrays do not match " + n + "x" + h + "x" + w);
    }
  }
}
