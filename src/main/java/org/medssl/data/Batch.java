package org.medssl.data;

/**
 * A batch of labeled samples as flat arrays: images {@code (n, channels, size...)} and labels
 * {@code (n, size...)}, with {@code size} the spatial size in tensor order ({h, w} or {d, h, w}).
 */
public record Batch(float[] images, long[] labels, int n, int channels, int[] size) {
  public Batch {
    size = size.clone();
    long voxels = (long) n;
    for (int s : size) {
      voxels *= s;
    }
    if (channels < 1 || images.length != voxels * channels || (labels != null && labels.length != voxels)) {
      throw new IllegalArgumentException("batch arrays do not match " + n + "x" + channels + "x"
          + java.util.Arrays.toString(size));
    }
  }

  /** A batch of single-channel samples. */
  public Batch(float[] images, long[] labels, int n, int[] size) {
    this(images, labels, n, 1, size);
  }

  /** A batch of single-channel 2D slices. */
  public Batch(float[] images, long[] labels, int n, int h, int w) {
    this(images, labels, n, new int[] {h, w});
  }

  @Override
  public int[] size() {
    return size.clone();
  }

  /** {@code (n, channels, size...)}: the images as a tensor shape. */
  public long[] imageShape() {
    return shape(n, channels, size);
  }

  /** {@code (n, 1, size...)}: the tensor shape of n single-channel images of spatial {@code size}. */
  public static long[] singleChannelShape(int n, int[] size) {
    return shape(n, 1, size);
  }

  /** {@code (n, channels, size...)}. */
  public static long[] shape(int n, int channels, int[] size) {
    long[] shape = new long[size.length + 2];
    shape[0] = n;
    shape[1] = channels;
    for (int i = 0; i < size.length; i++) {
      shape[i + 2] = size[i];
    }
    return shape;
  }

  /** {@code (n, size...)}: the labels as a tensor shape. */
  public long[] labelShape() {
    long[] shape = new long[size.length + 1];
    shape[0] = n;
    for (int i = 0; i < size.length; i++) {
      shape[i + 1] = size[i];
    }
    return shape;
  }
}
