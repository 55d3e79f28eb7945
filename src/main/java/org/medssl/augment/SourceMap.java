package org.medssl.augment;

/** Where each output pixel of a spatial transform comes from in the source slice. */
@FunctionalInterface
public interface SourceMap {
  /** Source (x, y) in pixels of output pixel centre (ox, oy). */
  double[] sourceOf(double ox, double oy);
}
