package org.medssl.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SegLossTest {

  @Test
  void confidentCorrectLogitsGiveZeroDiceLoss() {
    try (StepScope s = StepScope.open()) {
      // 1 sample, 2 classes, 1x4 pixels; targets 0 0 1 1; logits +-20 in favour of the target.
      Tensor logits = Tensor.of(new float[] {20, 20, -20, -20, -20, -20, 20, 20}, 1, 2, 1, 4);
      Tensor targets = Tensor.ofLongs(new long[] {0, 0, 1, 1}, 1, 1, 4);
      assertEquals(0.0, SegLoss.DICE.compute(logits, targets).item(), 1e-5);
    }
  }

  @Test
  void uniformLogitsGiveTheHandComputedDice() {
    try (StepScope s = StepScope.open()) {
      // p = 0.5 everywhere; foreground: intersection 0.5 * 1 pixel, sums 4 * 0.5 + 1 = 3 -> Dice 1/3.
      Tensor logits = Tensor.zeros(1, 2, 2, 2);
      Tensor targets = Tensor.ofLongs(new long[] {0, 0, 0, 1}, 1, 2, 2);
      assertEquals(1 - 1.0 / 3, SegLoss.DICE.compute(logits, targets).item(), 1e-4);
      // Cross-entropy of uniform 2-class probabilities is ln 2 for every pixel.
      assertEquals(1 - 1.0 / 3 + Math.log(2), SegLoss.DICE_CE.compute(logits, targets).item(), 1e-4);
    }
  }
}
