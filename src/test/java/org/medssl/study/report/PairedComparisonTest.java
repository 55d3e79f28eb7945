package org.medssl.study.report;

import org.medssl.study.plan.Cell;
import org.medssl.study.store.CellResult;
import org.medssl.study.store.LearningRateTuning;
import org.medssl.study.store.TestMetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.medssl.metrics.Summary;
import org.medssl.seg.FineTuneResult;

class PairedComparisonTest {
  /** A cell scored on test subjects t0..; one class, so a subject's Dice is its mean. */
  static CellResult cell(String method, int labeled, long seed, List<String> train, double... dice) {
    List<TestMetrics> test = new ArrayList<>();
    for (int s = 0; s < dice.length; s++) {
      test.add(new TestMetrics("t" + s, "a", dice[s], dice[s] / 2, 1, 1, 1));
    }
    return new CellResult(new Cell(method, labeled, seed), "f", "s", "x", train, new FineTuneResult(10, 10, 0.5,
        List.of(), 1.0, false), test, 1, "dev", "fp32", "sha", "now");
  }

  private static SummaryRow row(String method, int labeled, double meanDice) {
    Summary s = Summary.of(new double[] {meanDice});
    return new SummaryRow(method, labeled, List.of(0L), s, s, s, 0, s, java.util.Map.of(), java.util.Map.of());
  }

  @Test
  void pairsAreSameBudgetSeedAndSubjectsAndTheDifferenceIsTheirMean() {
    List<CellResult> cells = List.of(
        cell("random", 1, 0, List.of("a"), 0.5, 0.7),
        cell("random", 1, 1, List.of("b"), 0.6, 0.6),
        cell("random", 1, 2, List.of("c"), 0.1, 0.1),
        cell("byol", 1, 0, List.of("a"), 0.6, 0.9),  // +0.15
        cell("byol", 1, 1, List.of("b"), 0.7, 0.6),  // +0.05
        cell("byol", 1, 2, List.of("other"), 0.9, 0.9)); // trained on other subjects: no pair
    List<SummaryRow> summary = List.of(row("random", 1, 0.43), row("byol", 1, 0.7));
    List<PairedDifference> d = PairedComparison.against("random", cells, List.of("random", "byol"), summary);
    assertEquals(1, d.size(), "random init is not compared with itself");
    PairedDifference p = d.get(0);
    assertEquals(2, p.pairs());
    assertEquals(2, p.subjects());
    assertEquals(0.10, p.mean(), 1e-12);
    assertTrue(p.ciLow() <= p.mean() && p.mean() <= p.ciHigh());
    assertTrue(p.resolved(), "every subject difference is >= 0 and most are > 0: " + p);
  }

  private static CellResult tuned(String method, long seed, double atSharedRate, double atOtherRate) {
    CellResult c = cell(method, 1, seed, List.of("a"), Math.max(atSharedRate, atOtherRate));
    var tuning = LearningRateTuning.choose(List.of(new LearningRateTuning.Candidate(0.01, atSharedRate, atSharedRate),
        new LearningRateTuning.Candidate(0.002, atOtherRate, atOtherRate)));
    return new CellResult(c.cell(), "f", "s", "x", c.trainSubjects(), c.finetune(), c.test(), 1, "dev", "fp32", "sha",
        "now", tuning, 1);
  }

  @Test
  void sameLearningRateComparesTheCandidateRunsAtThatRate() {
    List<CellResult> cells = List.of(tuned("random", 0, 0.5, 0.7), tuned("random", 1, 0.4, 0.6),
        tuned("byol", 0, 0.6, 0.65), tuned("byol", 1, 0.6, 0.62));
    List<SummaryRow> summary = List.of(row("random", 1, 0.65), row("byol", 1, 0.635));
    PairedDifference tunedDiff = PairedComparison.against("random", cells, List.of("random", "byol"), summary).get(0);
    assertEquals(-0.015, tunedDiff.mean(), 1e-12, "each arm at its best rate: 0.65 - 0.7 and 0.62 - 0.6");
    PairedDifference same = PairedComparison.atLearningRate(0.01, "random", cells, List.of("random", "byol"), summary)
        .get(0);
    assertEquals(0.15, same.mean(), 1e-12, "both at 0.01: 0.6 - 0.5 and 0.6 - 0.4");
    assertEquals(2, same.pairs());
    assertTrue(Double.isNaN(same.randomEquivalent()));
    assertTrue(PairedComparison.atLearningRate(0.5, "random", cells, List.of("byol"), summary).isEmpty(),
        "no run at a rate that was not a candidate");
  }

  /** A cell scored on one test subject for two classes. */
  private static CellResult twoClasses(String method, long seed, double liver, double spleen) {
    List<TestMetrics> test = List.of(new TestMetrics("t0", "liver", liver, liver / 2, 1, 1, 1),
        new TestMetrics("t0", "spleen", spleen, spleen / 2, 1, 1, 1));
    return new CellResult(new Cell(method, 1, seed), "f", "s", "x", List.of("a" + seed), new FineTuneResult(10, 10,
        0.5, List.of(), 1.0, false), test, 1, "dev", "fp32", "sha", "now");
  }

  @Test
  void perClassSeparatesAGainOnOneStructureFromALossOnAnother() {
    List<CellResult> cells = List.of(twoClasses("random", 0, 0.5, 0.6), twoClasses("random", 1, 0.4, 0.7),
        twoClasses("pgl", 0, 0.7, 0.4), twoClasses("pgl", 1, 0.6, 0.5));
    List<SummaryRow> summary = List.of(row("random", 1, 0.55), row("pgl", 1, 0.55));
    List<String> methods = List.of("random", "pgl");
    assertEquals(0.0, PairedComparison.against("random", cells, methods, summary).get(0).mean(), 1e-12,
        "the mean over classes sees no difference");
    var perClass = PairedComparison.perClass("random", cells, methods, summary, List.of("liver", "spleen"));
    assertEquals(List.of("liver", "spleen"), List.copyOf(perClass.keySet()));
    assertEquals(0.2, perClass.get("liver").get(0).mean(), 1e-12);
    assertEquals(-0.2, perClass.get("spleen").get(0).mean(), 1e-12);
    assertEquals(2, perClass.get("spleen").get(0).pairs());
    assertTrue(perClass.get("liver").get(0).resolved() && perClass.get("spleen").get(0).resolved());
  }

  @Test
  void noPairsNoRowAndNoBaselineNoRows() {
    List<CellResult> cells = List.of(cell("byol", 1, 0, List.of("a"), 0.6));
    assertTrue(PairedComparison.against("random", cells, List.of("byol"), List.of(row("byol", 1, 0.6))).isEmpty());
    assertTrue(PairedComparison.against(null, cells, List.of("byol"), List.of(row("byol", 1, 0.6))).isEmpty());
  }

  @Test
  void intervalStraddlesZeroForMixedDifferencesAndNarrowsWithMoreSubjects() {
    double[][] mixed = {{0.1, -0.1, 0.05, -0.05}, {0.02, -0.03, 0.01, 0.0}};
    PairedDifference m = PairedComparison.difference("x", 1, mixed, Double.NaN);
    assertFalse(m.resolved(), m.toString());
    double[][] few = {{0.1, 0.0}, {0.05, 0.02}};
    double[][] many = {{0.1, 0.0, 0.1, 0.0, 0.1, 0.0, 0.1, 0.0}, {0.05, 0.02, 0.05, 0.02, 0.05, 0.02, 0.05, 0.02}};
    PairedDifference a = PairedComparison.difference("x", 1, few, Double.NaN);
    PairedDifference b = PairedComparison.difference("x", 1, many, Double.NaN);
    assertEquals(a.mean(), b.mean(), 1e-12);
    assertTrue(b.ciHigh() - b.ciLow() < a.ciHigh() - a.ciLow(), a + " vs " + b);
  }

  @Test
  void intervalIsReproducible() {
    double[][] d = {{0.1, 0.0, 0.3}, {0.05, 0.02, -0.1}, {0.2, 0.1, 0.0}};
    assertEquals(PairedComparison.difference("x", 1, d, 1), PairedComparison.difference("x", 1, d, 1));
  }

  /** Oracle: scipy.stats.wilcoxon (SciPy 1.10, exact two-sided p-values) on the same vectors. */
  @Test
  void signedRankMatchesScipy() {
    assertEquals(0.0625, PairedComparison.signedRankP(new double[] {0.05, 0.03, -0.01, 0.07, 0.02, 0.04}), 1e-12);
    assertEquals(0.001953125, PairedComparison.signedRankP(
        new double[] {0.05, 0.03, 0.01, 0.07, 0.02, 0.04, 0.06, 0.08, 0.09, 0.011}), 1e-12);
    assertEquals(0.84375, PairedComparison.signedRankP(
        new double[] {0.05, -0.03, 0.01, -0.07, 0.02, 0.04, -0.06, 0.08}), 1e-12);
    assertTrue(Double.isNaN(PairedComparison.signedRankP(new double[] {0, 0})));
  }

  @Test
  void equivalentBudgetInterpolatesInLogTwo() {
    TreeMap<Integer, Double> curve = new TreeMap<>(java.util.Map.of(1, 0.4, 2, 0.6, 4, 0.7));
    assertEquals(Math.sqrt(2), PairedComparison.equivalentBudget(0.5, curve), 1e-12);
    assertEquals(Math.pow(2, 1.5), PairedComparison.equivalentBudget(0.65, curve), 1e-12);
    assertEquals(2, PairedComparison.equivalentBudget(0.6, curve), 1e-12);
    assertEquals(4, PairedComparison.equivalentBudget(0.7, curve), 1e-12);
    assertEquals(Double.NEGATIVE_INFINITY, PairedComparison.equivalentBudget(0.3, curve));
    assertEquals(Double.POSITIVE_INFINITY, PairedComparison.equivalentBudget(0.8, curve));
    PairedDifference p = new PairedDifference("x", 1, 2, 2, 0.1, 0.05, 0.15, 0.5, 2.5);
    assertEquals(1.5, p.labelsSaved(), 1e-12);
  }

  @Test
  void quantileIsNumpysLinearDefinition() {
    double[] v = {1, 2, 3, 4, 5};
    assertEquals(1.1, PairedComparison.quantile(v, 0.025), 1e-12); // numpy.quantile([1..5], 0.025) = 1.1
    assertEquals(4.9, PairedComparison.quantile(v, 0.975), 1e-12);
  }
}
