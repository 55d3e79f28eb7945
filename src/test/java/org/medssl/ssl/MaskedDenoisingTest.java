package org.medssl.ssl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MaskedDenoisingTest {

  @Test
  void stratifiedMaskPutsOnePixelInEveryBox() {
    int h = 70;
    int w = 70;
    int[] mask = MaskedDenoising.stratifiedMask(h, w, 0.02, new SplittableRandom(4));
    // side = round(sqrt(50)) = 7: a 10 x 10 lattice of boxes, one pixel each, about 2 % of pixels.
    assertEquals(100, mask.length);
    Set<Integer> boxes = new HashSet<>();
    for (int p : mask) {
      boxes.add((p / w) / 7 * 10 + (p % w) / 7);
    }
    assertEquals(100, boxes.size());
    assertEquals(0.02, mask.length / (double) (h * w), 0.001);
  }

  @Test
  void l1CountsOnlyMaskedPixels() {
    try (StepScope s = StepScope.open()) {
      Tensor pred = Tensor.of(new float[] {1, 5, 3, 9}, 1, 1, 2, 2);
      Tensor target = Tensor.of(new float[] {0, 0, 0, 0}, 1, 1, 2, 2);
      Tensor mask = Tensor.of(new float[] {1, 0, 1, 0}, 1, 1, 2, 2);
      assertEquals(2.0, MaskedDenoising.maskedL1(pred, target, mask).item(), 1e-6);
    }
  }
}
