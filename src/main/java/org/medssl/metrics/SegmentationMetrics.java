package org.medssl.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.medssl.MedsslException;
import org.medssl.image.Grid;
import org.medssl.image.LabelMap;

/**
 * Per-class metrics of a predicted label map against a reference: Dice, IoU, HD, HD95, ASSD in
 * mm, with {@link EmptyMaskPolicy#STANDARD} for empty masks.
 *
 * <p>Surfaces and distance transforms are computed on each class's bounding box of pred ∪ ref,
 * grown by one voxel, only. The result equals the full-grid computation exactly: outside the box
 * both masks are background, which is what the surface rule assumes beyond the box edge (as beyond
 * the image edge), and every surface voxel, source or target of a distance, lies inside. The
 * one-voxel margin is there so that an object one slice thick is not cropped to a single-slice
 * grid, which {@link Surface} would treat as a 2D image.
 */
public final class SegmentationMetrics {

  /** Spacing difference (mm) above which two grids are not the same sampling. */
  private static final double SPACING_TOLERANCE_MM = 1e-4;

  private SegmentationMetrics() {}

  /**
   * Metrics for labels 1..K, where label {@code k} is named {@code classNames.get(k - 1)}; label 0
   * is background and not reported.
   *
   * @throws MedsslException if the grids differ in shape or spacing, or a map contains a label
   *     outside 0..K
   */
  public static List<ClassMetrics> evaluate(LabelMap pred, LabelMap ref, List<String> classNames) {
    Grid grid = ref.grid();
    checkSameSampling(pred.grid(), grid);
    LabelTally tally = LabelTally.count(pred.labels(), ref.labels(), grid, classNames.size());
    List<ClassMetrics> out = new ArrayList<>(classNames.size());
    for (int label = 1; label <= classNames.size(); label++) {
      out.add(evaluateClass(pred, ref, classNames.get(label - 1), label, tally));
    }
    return List.copyOf(out);
  }

  /** Metrics of one binary pair (x fastest on {@code grid}), reported as class "foreground". */
  public static ClassMetrics evaluateBinary(boolean[] pred, boolean[] ref, Grid grid) {
    return evaluate(
        new LabelMap(grid, toLabels(pred)), new LabelMap(grid, toLabels(ref)), List.of("foreground"))
        .get(0);
  }

  private static ClassMetrics evaluateClass(
      LabelMap pred, LabelMap ref, String name, int label, LabelTally tally) {
    Confusion confusion = tally.confusion(label);
    if (confusion.predVoxels() == 0 || confusion.refVoxels() == 0) {
      double d = EmptyMaskPolicy.STANDARD.distanceMmWhenEmpty(
          confusion.predVoxels(), confusion.refVoxels());
      return new ClassMetrics(name, label, confusion, d, d, d);
    }
    Box box = tally.box(label).grow(1, ref.grid());
    SurfaceDistances s = SurfaceDistances.between(
        box.mask(pred.labels(), label, ref.grid()),
        box.mask(ref.labels(), label, ref.grid()),
        box.grid(ref.grid()));
    return new ClassMetrics(name, label, confusion, s.hdMm(), s.hd95Mm(), s.assdMm());
  }

  private static void checkSameSampling(Grid pred, Grid ref) {
    if (pred.nx() != ref.nx() || pred.ny() != ref.ny() || pred.nz() != ref.nz()) {
      throw new MedsslException("prediction shape " + pred.shapeString()
          + " does not match reference shape " + ref.shapeString());
    }
    for (int axis = 0; axis < 3; axis++) {
      if (Math.abs(pred.spacing(axis) - ref.spacing(axis)) > SPACING_TOLERANCE_MM) {
        throw new MedsslException("prediction spacing " + Arrays.toString(pred.spacingMm())
            + " mm does not match reference spacing " + Arrays.toString(ref.spacingMm()) + " mm");
      }
    }
  }

  private static int[] toLabels(boolean[] mask) {
    int[] labels = new int[mask.length];
    for (int i = 0; i < mask.length; i++) {
      labels[i] = mask[i] ? 1 : 0;
    }
    return labels;
  }
}
