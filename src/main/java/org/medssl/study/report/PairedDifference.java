package org.medssl.study.report;

/**
 * One method × labeled budget against the baseline (random init) fine-tuned on the same labeled
 * subjects with the same seed, scored on the same test subjects.
 *
 * @param pairs cells with a baseline twin (same budget, seed and labeled subjects)
 * @param subjects test subjects per pair (the smallest count when pairs differ)
 * @param mean mean over pairs of the pair's mean Dice difference (method − baseline)
 * @param ciLow lower end of the 95 % bootstrap interval of {@code mean} (pairs, then test subjects resampled)
 * @param ciHigh upper end of that interval
 * @param pValue two-sided Wilcoxon signed-rank test of the pairs' differences (exact for small samples);
 *     NaN when it cannot be computed (no pair, or every difference zero)
 * @param randomEquivalent the budget at which the baseline's mean Dice curve reaches this row's mean
 *     Dice (linear in log2 of the budget); −∞ below the baseline's smallest budget, +∞ above its largest
 */
public record PairedDifference(String method, int labeled, int pairs, int subjects, double mean, double ciLow,
    double ciHigh, double pValue, double randomEquivalent) {

  /** Whether the interval leaves out zero, i.e. the sign of the difference is resolved. */
  public boolean resolved() {
    return ciLow > 0 || ciHigh < 0;
  }

  /** Labeled subjects saved: the baseline needs {@code randomEquivalent} where this method needs {@code labeled}. */
  public double labelsSaved() {
    return randomEquivalent - labeled;
  }
}
