package org.medssl.metrics;

/**
 * Voxel counts of one class in one case: true/false positives, false negatives, true negatives
 * (nnU-Net's {@code evaluate_predictions.py} keeps the same four). Dice and IoU follow from them.
 */
public record Confusion(long tp, long fp, long fn, long tn) {

  public Confusion {
    if (tp < 0 || fp < 0 || fn < 0 || tn < 0) {
      throw new IllegalArgumentException(
          "confusion counts must be non-negative: " + tp + ", " + fp + ", " + fn + ", " + tn);
    }
  }

  /** Counts of a binary pair (same length, x fastest). */
  public static Confusion of(boolean[] pred, boolean[] ref) {
    if (pred.length != ref.length) {
      throw new IllegalArgumentException(
          "masks differ in size: " + pred.length + " vs " + ref.length);
    }
    long tp = 0;
    long fp = 0;
    long fn = 0;
    for (int i = 0; i < pred.length; i++) {
      if (pred[i] && ref[i]) {
        tp++;
      } else if (pred[i]) {
        fp++;
      } else if (ref[i]) {
        fn++;
      }
    }
    return new Confusion(tp, fp, fn, pred.length - tp - fp - fn);
  }

  public long predVoxels() {
    return tp + fp;
  }

  public long refVoxels() {
    return tp + fn;
  }

  /** 2 TP / (2 TP + FP + FN); both masks empty → {@link EmptyMaskPolicy} (1). */
  public double dice() {
    long denominator = 2 * tp + fp + fn;
    return denominator == 0
        ? EmptyMaskPolicy.STANDARD.overlapWhenBothEmpty()
        : 2.0 * tp / denominator;
  }

  /** TP / (TP + FP + FN), equal to Dice / (2 − Dice); both masks empty → {@link EmptyMaskPolicy} (1). */
  public double iou() {
    long denominator = tp + fp + fn;
    return denominator == 0
        ? EmptyMaskPolicy.STANDARD.overlapWhenBothEmpty()
        : (double) tp / denominator;
  }
}
