package org.medssl.ssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EmaBudgetTest {
  /** What the EMA of steps 1..K (the loop's global steps) leaves of the target's step-0 weights. */
  static double remainder(double tau0, int steps) {
    EmaSchedule s = new EmaSchedule(tau0);
    double left = 1;
    for (int k = 1; k <= steps; k++) {
      left *= s.tau(k, steps);
    }
    return left;
  }

  @Test
  void thePapersStartOnAShortRunKeepsMostOfTheInitialisation() {
    // the demo's 250 steps: what issue 16 measured
    assertEquals(0.29, remainder(0.99, 250), 0.01);
    assertEquals(0.61, remainder(0.996, 250), 0.01);
  }

  @Test
  void aBudgetSizedStartLeavesAtMostOnePercent() {
    for (int steps : new int[] {94, 100, 250, 500, 900, 922}) {
      double tau0 = PretextMethods.budgetTau(0.99, steps);
      double left = remainder(tau0, steps);
      assertTrue(left <= PretextMethods.EMA_REMAINDER && left > 0.005, steps + " steps, tau0 " + tau0 + ": " + left);
    }
    for (int steps : new int[] {250, 1000, 2303}) {
      double left = remainder(PretextMethods.budgetTau(0.996, steps), steps);
      assertTrue(left <= PretextMethods.EMA_REMAINDER && left > 0.005, steps + " steps: " + left);
    }
    assertEquals(0.963, PretextMethods.budgetTau(0.99, 250));
    assertEquals(0.963, PretextMethods.budgetTau(0.996, 250));
  }

  @Test
  void longRunsKeepThePapersValueAndVeryShortOnesTheFloor() {
    assertEquals(0.99, PretextMethods.budgetTau(0.99, 923));
    assertEquals(0.99, PretextMethods.budgetTau(0.99, 100_000));
    assertEquals(0.996, PretextMethods.budgetTau(0.996, 2304));
    assertTrue(PretextMethods.budgetTau(0.996, 2303) < 0.996);
    assertEquals(0.9, PretextMethods.budgetTau(0.99, 93));
    assertEquals(0.9, PretextMethods.budgetTau(0.99, 1));
  }

  @Test
  void aGivenTauIsKept() {
    MethodOptions o = MethodOptions.defaults();
    assertEquals(0.963, PretextMethods.tau("byol", o, 250));
    assertEquals(0.996, PretextMethods.tau("pgl", o, 10_000));
    assertEquals(0.97, PretextMethods.tau("byol", o.with(MomentumMethod.TAU, 0.97), 250));
    assertEquals(0.99, PretextMethods.tau("byol", o), "without a budget: the paper's value");
  }

  @Test
  void resolvingTauKeepsEveryOtherOptionAndLeavesMethodsWithoutATargetAlone() {
    MethodOptions o = MethodOptions.defaults().with(ViewOptions.FLIPS, true).with(ViewOptions.REMAP, 0.8)
        .with(MaskedDenoising.MASK_BLOCK, 4).with(Contrastive.LOCAL_LEVEL, 1).with(Pgl.SUB_SLICE_CROPS, false)
        .with(Contrastive.LOCAL_CROPS, false);
    assertEquals(o.with(MomentumMethod.TAU, 0.963), PretextMethods.resolve("byol", o, 250));
    assertEquals(o, PretextMethods.resolve("denoise", o, 250), "no target: nothing to resolve");
    assertEquals(0.8, PretextMethods.resolve("pgl", o, 250).get(ViewOptions.REMAP));
    assertEquals(0.99, PretextMethods.tau("denoise", o, 10), "no EMA target: the constant its descriptions showed");
    assertEquals(0.99, PretextMethods.tau("contrastive", o, 10));
  }
}
