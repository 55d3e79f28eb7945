package org.medssl.metrics;

/**
 * Metrics of one class (label) in one case. Distances are in mm; {@link Double#NaN} means
 * <em>missing</em> under {@link EmptyMaskPolicy} (exactly one of the masks is empty) and is
 * counted by {@link Summary}, never dropped.
 *
 * @param className the class name given by the caller (e.g. from {@code dataset.json})
 * @param label the label value in the label maps, ≥ 1
 * @param confusion voxel counts, from which Dice, IoU and the mask sizes follow
 */
public record ClassMetrics(
    String className, int label, Confusion confusion, double hdMm, double hd95Mm, double assdMm) {

  public ClassMetrics {
    if (className == null || confusion == null) {
      throw new IllegalArgumentException("class name and confusion are required");
    }
    if (label < 1) {
      throw new IllegalArgumentException("class labels start at 1 (0 is background): " + label);
    }
    requireDistance("hdMm", hdMm);
    requireDistance("hd95Mm", hd95Mm);
    requireDistance("assdMm", assdMm);
  }

  private static void requireDistance(String name, double value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0 or NaN (missing): " + value);
    }
  }

  public double dice() {
    return confusion.dice();
  }

  public double iou() {
    return confusion.iou();
  }

  public long predVoxels() {
    return confusion.predVoxels();
  }

  public long refVoxels() {
    return confusion.refVoxels();
  }

  /** True when HD, HD95 and ASSD are missing (exactly one mask empty). */
  public boolean distancesMissing() {
    return Double.isNaN(hdMm);
  }
}
