package org.medssl.seg;

import java.util.Locale;
import org.medssl.MedsslException;
import org.medssl.tensor.Tensor;

/** Segmentation losses on logits {@code (N, C, ...)} and int64 targets {@code (N, ...)}, in fp32. */
public enum SegLoss {
  /** Soft Dice over the foreground classes (Umapathy et al.). */
  DICE,
  /** Soft Dice plus cross-entropy, equally weighted (PGL, nnU-Net). */
  DICE_CE;

  private static final double SMOOTH = 1e-5;

  public static SegLoss parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT).replace('-', '_').replace('+', '_')) {
      case "dice" -> DICE;
      case "dice_ce", "dicece" -> DICE_CE;
      default -> throw new MedsslException("--loss: expected dice or dice-ce, got '" + text + "'");
    };
  }

  public Tensor compute(Tensor logits, Tensor targets) {
    Tensor fp32 = logits.toFloat();
    Tensor dice = softDiceLoss(fp32, targets);
    return this == DICE ? dice : dice.add(fp32.crossEntropy(targets));
  }

  /**
   * 1 - mean over foreground classes of the soft Dice, with intersections and sums pooled over the
   * whole batch ("batch Dice", as nnU-Net does for 2D): a slice without some organ then does not
   * produce a 0/0 term.
   */
  static Tensor softDiceLoss(Tensor logits, Tensor targets) {
    int classes = (int) logits.size(1);
    Tensor probs = logits.softmax(1);
    Tensor onehot = targets.oneHot(classes);
    long[] reduce = reductionDims(logits.dim());
    Tensor intersection = probs.mul(onehot).sum(reduce);
    Tensor denominator = probs.add(onehot).sum(reduce);
    Tensor dice = intersection.mul(2).add(SMOOTH).div(denominator.add(SMOOTH));
    Tensor foreground = dice.narrow(0, 1, classes - 1);
    return foreground.mean().mul(-1).add(1);
  }

  /** All dimensions except the class dimension (1). */
  private static long[] reductionDims(int rank) {
    long[] dims = new long[rank - 1];
    dims[0] = 0;
    for (int i = 2; i < rank; i++) {
      dims[i - 1] = i;
    }
    return dims;
  }
}
