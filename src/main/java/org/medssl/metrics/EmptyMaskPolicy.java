package org.medssl.metrics;

/**
 * What the metrics are when the prediction or the reference mask of a class is empty.
 *
 * <p>MONAI returns NaN (or inf, with a warning) for an empty reference and nnU-Net NaN followed by
 * a nan-mean, so empty cases silently leave the averages. medssl states one rule instead and
 * writes {@link #describe()} into every results file:
 *
 * <ul>
 *   <li><b>both empty</b> (the class is absent and correctly not predicted): Dice 1, IoU 1, HD,
 *       HD95 and ASSD 0 mm — a perfect answer;
 *   <li><b>exactly one empty</b> (a missed or hallucinated structure): Dice 0, IoU 0, and the
 *       surface distances are <em>missing</em>, because there is no surface to measure to. They are
 *       stored as {@link Double#NaN} in {@link ClassMetrics}, and {@link Summary#of(double[])}
 *       counts them in {@code missing} so that they are reported, never silently dropped.
 * </ul>
 *
 * <p>The enum leaves room for other rules (e.g. a fixed penalty distance) without changing the
 * callers; today {@link #STANDARD} is the only one.
 */
public enum EmptyMaskPolicy {
  STANDARD;

  /** Dice and IoU when both masks are empty (0 / 0 by the formulas). */
  public double overlapWhenBothEmpty() {
    return 1.0;
  }

  /**
   * HD, HD95 and ASSD in mm for a pair with at least one empty mask: 0 if both are empty, NaN
   * (missing) if exactly one is.
   */
  public double distanceMmWhenEmpty(long predVoxels, long refVoxels) {
    if (predVoxels > 0 && refVoxels > 0) {
      throw new IllegalArgumentException("neither mask is empty: measure the distances");
    }
    return predVoxels == 0 && refVoxels == 0 ? 0.0 : Double.NaN;
  }

  /** One line for results files and reports. */
  public String describe() {
    return "empty-mask policy " + name() + ": prediction and reference both empty -> Dice 1, IoU 1,"
        + " HD/HD95/ASSD 0 mm; exactly one empty -> Dice 0, IoU 0, HD/HD95/ASSD missing"
        + " (NaN, counted as missing in summaries, never dropped)";
  }
}
