package org.medssl.ssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LossesTest {

  @Test
  void ntXentMatchesTheHandComputedValue() {
    try (StepScope s = StepScope.open()) {
      // Two orthogonal embeddings per view, temperature 1. Row e1: logits vs {e2, e1', e2'} = {0, 1, 0},
      // positive e1' -> loss = log(e^0 + e^1 + e^0) - 1 for every row.
      Tensor a = Tensor.of(new float[] {1, 0, 0, 1}, 2, 2);
      Tensor b = Tensor.of(new float[] {1, 0, 0, 1}, 2, 2);
      assertEquals(Math.log(2 + Math.E) - 1, NtXent.loss(a, b, 1.0).item(), 1e-5);
    }
  }

  @Test
  void ntXentIsLowerWhenPositivesAgree() {
    try (StepScope s = StepScope.open()) {
      Tensor a = Tensor.of(new float[] {1, 0, 0, 1}, 2, 2);
      Tensor swapped = Tensor.of(new float[] {0, 1, 1, 0}, 2, 2);
      assertTrue(NtXent.loss(a, a, 0.1).item() < NtXent.loss(a, swapped, 0.1).item());
    }
  }

  @Test
  void byolLossIsZeroForIdenticalDirectionsAndFourForOpposite() {
    try (StepScope s = StepScope.open()) {
      Tensor p = Tensor.of(new float[] {1, 2, 3, -1, 0, 2}, 2, 3);
      Tensor scaled = p.mul(5);
      assertEquals(0.0, ByolLoss.loss(p, scaled).item(), 1e-6);
      assertEquals(4.0, ByolLoss.loss(p, p.mul(-1)).item(), 1e-6);
      Tensor orthogonal = Tensor.of(new float[] {1, 0, 0, 0, 1, 0}, 2, 3);
      Tensor other = Tensor.of(new float[] {0, 1, 0, 1, 0, 0}, 2, 3);
      assertEquals(2.0, ByolLoss.loss(orthogonal, other).item(), 1e-6);
    }
  }

  @Test
  void localRegionsArePooledAtTheLatticePositions() {
    int h = 8;
    int w = 8;
    float[] f = new float[2 * h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        f[y * w + x] = 1;
        f[h * w + y * w + x] = x + 10 * y;
      }
    }
    long[] pos = LocalContrastive.positions(h, w, 3);
    assertEquals(9, pos.length);
    try (StepScope s = StepScope.open()) {
      float[] r = LocalContrastive.regions(Tensor.of(f, 1, 2, h, w), pos).toFloats();
      int[] lattice = {0, 3, 5};
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          int k = i * 3 + j;
          // Region at pooled (y, x) averages rows y..y+2, columns x..x+2: mean = (x+1) + 10 (y+1).
          double expected = (lattice[j] + 1) + 10.0 * (lattice[i] + 1);
          assertEquals(expected, r[2 * k + 1] / r[2 * k], 1e-3, "position " + k);
        }
      }
    }
  }

  @Test
  void localLossRewardsMatchingPositions() {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(2);
    float[] f = new float[2 * 8 * 12 * 12];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) rng.nextGaussian();
    }
    try (StepScope s = StepScope.open()) {
      Tensor a = Tensor.of(f, 2, 8, 12, 12);
      double aligned = LocalContrastive.loss(a, a, 4, 0.1).item();
      double misaligned = LocalContrastive.loss(a, a.flip(3), 4, 0.1).item();
      assertTrue(aligned < misaligned, aligned + " vs " + misaligned);
    }
  }
}
