package org.medssl.augment;

/**
 * One 2D training sample: a row-major {@code h x w} image and, optionally, its label map
 * ({@code null} for unlabeled images).
 */
public record Slice2d(float[] image, int[] labels, int h, int w) {
  public Slice2d {
    if (image.length != h * w || (labels != null && labels.length != h * w)) {
      throw new IllegalArgumentException("slice arrays do not match " + h + "x" + w);
    }
  }

  /** The same labels under new pixels of this slice's size. */
  public Slice2d withImage(DenseImage pixels) {
    return new Slice2d(pixels.values(), labels, h, w);
  }
}
