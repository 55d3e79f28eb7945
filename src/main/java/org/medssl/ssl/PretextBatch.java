package org.medssl.ssl;

import java.util.List;
import org.medssl.augment.ViewGeometry;

/**
 * One step's inputs for a pretext method, prepared on the loader thread as plain arrays of
 * {@code n} single-channel images of spatial {@code size} (tensor order: {h, w} or {d, h, w}):
 * {@code inputs.get(k)} is the k-th view (or the masked input, mask and target for denoising),
 * with the geometry of every view (sample-major: view 0 and 1 of sample 0, then of sample 1…)
 * when the method needs it.
 */
public record PretextBatch(List<float[]> inputs, List<ViewGeometry> geometries, int n, int[] size) {
  public PretextBatch {
    inputs = List.copyOf(inputs);
    geometries = List.copyOf(geometries);
    size = size.clone();
    long voxels = (long) n * volume(size);
    for (float[] a : inputs) {
      if (a.length != voxels) {
        throw new IllegalArgumentException("batch array of " + a.length + " values, expected " + voxels);
      }
    }
  }

  /** A batch of 2D slices. */
  public PretextBatch(List<float[]> inputs, List<ViewGeometry> geometries, int n, int h, int w) {
    this(inputs, geometries, n, new int[] {h, w});
  }

  /** The shape {@code (n, 1, size...)} of an input as a tensor. */
  public long[] tensorShape() {
    return org.medssl.data.Batch.singleChannelShape(n, size);
  }

  @Override
  public int[] size() {
    return size.clone();
  }

  static int volume(int[] size) {
    int v = 1;
    for (int s : size) {
      v *= s;
    }
    return v;
  }
}
