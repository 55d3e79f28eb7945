package org.medssl.ssl;

import java.util.List;
import org.medssl.augment.Geometry2d;

/**
 * One step's inputs for a pretext method, prepared on the loader thread as plain arrays of
 * {@code n x h x w} slices: {@code inputs.get(k)} is the k-th view (or the masked input, mask and
 * target for denoising), with the geometry of every view when the method needs it.
 */
public record PretextBatch(List<float[]> inputs, List<Geometry2d> geometries, int n, int h, int w) {
  public PretextBatch {
    inputs = List.copyOf(inputs);
    geometries = List.copyOf(geometries);
    for (float[] a : inputs) {
      if (a.length != n * h * w) {
        throw new IllegalArgumentException("batch array of " + a.length + " values, expected " + n * h * w);
      }
    }
  }
}
