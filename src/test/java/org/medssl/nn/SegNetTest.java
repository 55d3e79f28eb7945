package org.medssl.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SegNetTest {

  @Test
  void twoDimensionalUNetKeepsTheInputSize() {
    SegNetConfig cfg = new SegNetConfig(Dims.TWO, 1, 4, new int[] {4, 8, 16}, NormKind.INSTANCE);
    try (SegNet net = new SegNet(cfg, new SplittableRandom(0)); StepScope s = StepScope.open()) {
      Tensor y = net.forward(Tensor.zeros(2, 1, 16, 12));
      assertArrayEquals(new long[] {2, 4, 16, 12}, y.shape());
      assertEquals(4, net.downsamplingFactor());
    }
  }

  @Test
  void threeDimensionalUNetWithBatchNorm() {
    SegNetConfig cfg = new SegNetConfig(Dims.THREE, 1, 3, new int[] {2, 4}, NormKind.BATCH);
    try (SegNet net = new SegNet(cfg, new SplittableRandom(0)); StepScope s = StepScope.open()) {
      Tensor y = net.forward(Tensor.zeros(2, 1, 8, 8, 4));
      assertArrayEquals(new long[] {2, 3, 8, 8, 4}, y.shape());
      assertEquals(true, net.weights().named().containsKey("encoder.stage0.norm1.running_mean"));
    }
  }

  @Test
  void sameSeedGivesIdenticalWeights() {
    SegNetConfig cfg = new SegNetConfig(Dims.TWO, 1, 2, new int[] {2, 4}, NormKind.GROUP);
    try (SegNet a = new SegNet(cfg, new SplittableRandom(5)); SegNet b = new SegNet(cfg, new SplittableRandom(5))) {
      assertArrayEquals(a.weights().snapshot().get("encoder.stage1.conv2.w").values(),
          b.weights().snapshot().get("encoder.stage1.conv2.w").values());
    }
  }
}
