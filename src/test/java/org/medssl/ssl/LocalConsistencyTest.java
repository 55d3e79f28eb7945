package org.medssl.ssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;

class LocalConsistencyTest {
  private static Tensor random(long seed, long... shape) {
    SplittableRandom rng = new SplittableRandom(seed);
    int n = 1;
    for (long s : shape) {
      n *= (int) s;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    return Tensor.of(v, shape);
  }

  @Test
  void zeroForTheSameDirectionsAtEveryVoxelWhateverTheirLength() {
    try (StepScope s = StepScope.open()) {
      Tensor a = random(1, 2, 8, 3, 4, 5);
      assertEquals(0, LocalConsistency.loss(a, a).item(), 1e-6);
      assertEquals(0, LocalConsistency.loss(a, a.mul(7)).item(), 1e-6);
      assertEquals(4, LocalConsistency.loss(a, a.mul(-1)).item(), 1e-5);
    }
  }

  @Test
  void symmetricAndPositiveForDifferentMaps() {
    try (StepScope s = StepScope.open()) {
      Tensor a = random(2, 3, 6, 4, 4);
      Tensor b = random(3, 3, 6, 4, 4);
      double ab = LocalConsistency.loss(a, b).item();
      assertEquals(ab, LocalConsistency.loss(b, a).item(), 1e-6);
      assertTrue(ab > 0.5, "random directions are far apart: " + ab);
    }
  }

  @Test
  void isTheMeanOverVoxelsOfTwoMinusTwoCosine() {
    try (StepScope s = StepScope.open()) {
      // Two voxels of 2 channels: (1, 0) vs (0, 3) -> cos 0 -> 2; (1, 1) vs (2, 2) -> cos 1 -> 0. Mean 1.
      Tensor p = Tensor.of(new float[] {1, 1, 0, 1}, 1, 2, 1, 2);
      Tensor z = Tensor.of(new float[] {0, 2, 3, 2}, 1, 2, 1, 2);
      assertEquals(1.0, LocalConsistency.loss(p, z).item(), 1e-6);
    }
  }

  @Test
  void theTargetGetsNoGradient() {
    try (StepScope s = StepScope.open()) {
      Tensor p = random(4, 2, 4, 3, 3).requiresGrad(true);
      Tensor z = random(5, 2, 4, 3, 3).requiresGrad(true);
      LocalConsistency.loss(p, z).backward();
      assertTrue(p.grad().l2Norm() > 0);
      assertNull(z.grad());
    }
  }
}
