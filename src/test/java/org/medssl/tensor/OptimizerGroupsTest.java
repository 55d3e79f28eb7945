package org.medssl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OptimizerGroupsTest {
  private static final float[] X = {0.5f, -1f, 2f, 0.25f};

  /** Two parameters a and b; returns their values after {@code steps} AdamW steps on sum(a*x) + sum(b*x)^2. */
  private static float[][] train(boolean grouped, double scaleB, int steps) {
    try (ParamStore store = new ParamStore()) {
      SplittableRandom rng = new SplittableRandom(7);
      Tensor a = store.param("a", Init.KAIMING_NORMAL, rng, 2, 2);
      Tensor b = store.param("b", Init.KAIMING_NORMAL, rng, 2, 2);
      Optimizer opt = grouped
          ? Optimizer.adamWGroups(List.of(new Optimizer.Group(List.of(a), 1), new Optimizer.Group(List.of(b), scaleB),
              new Optimizer.Group(List.of(), 3)), 0.01, 1e-2)
          : Optimizer.adamW(store.parameters(), 0.01, 1e-2);
      try (opt) {
        for (int i = 0; i < steps; i++) {
          opt.setLearningRate(0.01 * (i + 1));
          try (StepScope s = StepScope.open()) {
            Tensor x = Tensor.of(X, 2, 2);
            Tensor loss = a.mul(x).sum().add(b.mul(x).sum().mul(b.mul(x).sum()));
            opt.zeroGrad();
            loss.backward();
            opt.step();
          }
        }
      }
      return new float[][] {a.toFloats(), b.toFloats()};
    }
  }

  @Test
  void groupsAtScaleOneTrainExactlyAsOneGroup() {
    float[][] plain = train(false, 1, 5);
    float[][] grouped = train(true, 1, 5);
    assertArrayEquals(plain[0], grouped[0]);
    assertArrayEquals(plain[1], grouped[1]);
  }

  @Test
  void aGroupsRateIsTheScheduledRateTimesItsScale() {
    float[][] start = train(false, 1, 0);
    float[][] full = train(false, 1, 1);
    float[][] half = train(true, 0.5, 1);
    assertArrayEquals(full[0], half[0], "the unscaled group trains as before");
    for (int i = 0; i < 4; i++) {
      // AdamW's first step: p (1 - lr wd) - lr sign-like(g); both terms halve with the rate.
      assertEquals((full[1][i] - start[1][i]) / 2, half[1][i] - start[1][i], 1e-6);
    }
    float[][] zero = train(true, 0, 3);
    assertArrayEquals(start[1], zero[1], "scale 0 leaves a group's parameters exactly as they were");
  }

  @Test
  void aNegativeScaleIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Optimizer.Group(List.of(), -0.1));
  }
}
