package org.medssl.metrics;

import java.util.Arrays;
import org.medssl.image.Grid;

/**
 * Directed surface distances in mm between the {@link Surface}s of a prediction and a reference
 * mask, both non-empty: for every surface voxel of one mask, the Euclidean distance (with the
 * grid's voxel spacing) to the nearest surface voxel of the other. Values are in x-fastest voxel
 * order of the "from" surface.
 *
 * <p>Summaries follow MONAI ({@code monai/metrics/hausdorff_distance.py},
 * {@code surface_distance.py}, symmetric):
 *
 * <ul>
 *   <li>{@link #hdMm()}: Hausdorff distance, the larger of the two directed maxima;
 *   <li>{@link #hd95Mm()}: the larger of the two directed 95th percentiles (NumPy's default linear
 *       percentile, see {@link Percentile#linear}) — MONAI's definition, not the 95th percentile of
 *       the pooled distances that some other tools report;
 *   <li>{@link #assdMm()}: average symmetric surface distance, the mean of both directions pooled
 *       (each surface voxel counts once, so the larger surface weighs more).
 * </ul>
 *
 * <p>Empty masks have no surface; {@link EmptyMaskPolicy} decides those cases before this record
 * is built.
 */
public record SurfaceDistances(double[] predToRefMm, double[] refToPredMm) {

  public SurfaceDistances {
    if (predToRefMm.length == 0 || refToPredMm.length == 0) {
      throw new IllegalArgumentException(
          "surface distances need two non-empty surfaces (empty masks: see EmptyMaskPolicy)");
    }
    predToRefMm = predToRefMm.clone();
    refToPredMm = refToPredMm.clone();
  }

  /** Measures a (pred, ref) pair of non-empty masks on {@code grid} (x fastest). */
  public static SurfaceDistances between(boolean[] pred, boolean[] ref, Grid grid) {
    boolean[] predSurface = Surface.of(pred, grid);
    boolean[] refSurface = Surface.of(ref, grid);
    return new SurfaceDistances(
        directed(predSurface, refSurface, grid), directed(refSurface, predSurface, grid));
  }

  /** Distance from each {@code from} voxel to the nearest {@code to} voxel. */
  private static double[] directed(boolean[] from, boolean[] to, Grid grid) {
    double[] squared = DistanceTransform.squaredDistancesMm2(to, grid);
    double[] out = new double[count(from)];
    int k = 0;
    for (int i = 0; i < from.length; i++) {
      if (from[i]) {
        out[k++] = Math.sqrt(squared[i]);
      }
    }
    return out;
  }

  private static int count(boolean[] mask) {
    int n = 0;
    for (boolean b : mask) {
      n += b ? 1 : 0;
    }
    return n;
  }

  @Override
  public double[] predToRefMm() {
    return predToRefMm.clone();
  }

  @Override
  public double[] refToPredMm() {
    return refToPredMm.clone();
  }

  /** Hausdorff distance: max over both directions of the largest surface distance. */
  public double hdMm() {
    return Math.max(max(predToRefMm), max(refToPredMm));
  }

  /** MONAI's HD95: max of the two directed 95th percentiles. */
  public double hd95Mm() {
    return percentileHdMm(95);
  }

  /** Max of the two directed percentiles (NumPy linear); 100 gives {@link #hdMm()}. */
  public double percentileHdMm(double percent) {
    return Math.max(
        Percentile.linear(predToRefMm, percent), Percentile.linear(refToPredMm, percent));
  }

  /** Average symmetric surface distance: mean of both directions pooled. */
  public double assdMm() {
    double sum = 0;
    for (double d : predToRefMm) {
      sum += d;
    }
    for (double d : refToPredMm) {
      sum += d;
    }
    return sum / (predToRefMm.length + refToPredMm.length);
  }

  private static double max(double[] values) {
    double m = 0;
    for (double v : values) {
      m = Math.max(m, v);
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SurfaceDistances s
        && Arrays.equals(predToRefMm, s.predToRefMm)
        && Arrays.equals(refToPredMm, s.refToPredMm);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(predToRefMm) + Arrays.hashCode(refToPredMm);
  }

  @Override
  public String toString() {
    return "SurfaceDistances[" + predToRefMm.length + " pred->ref, " + refToPredMm.length
        + " ref->pred, hd=" + hdMm() + " mm]";
  }
}
