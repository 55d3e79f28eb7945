package org.medssl.study.report;

import org.medssl.study.plan.Cell;
import org.medssl.study.store.CellResult;
import org.medssl.study.config.InitSpec;
import org.medssl.study.store.TestMetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medssl.seg.FineTuneResult;

public class AggregationTest {
  /** A cell with two test subjects and classes a, b; Dice values given per subject and class. */
  public static CellResult cell(String method, int labeled, long seed, double[][] dice, int convergence) {
    List<TestMetrics> test = new ArrayList<>();
    String[] classes = {"a", "b"};
    for (int s = 0; s < dice.length; s++) {
      for (int c = 0; c < 2; c++) {
        double hd = dice[s][c] == 0 ? Double.NaN : 10 * (s + 1);
        test.add(new TestMetrics("t" + s, classes[c], dice[s][c], dice[s][c] / 2, hd, hd, hd));
      }
    }
    var curve = List.of(new FineTuneResult.CurvePoint(50, 1, 0.0), new FineTuneResult.CurvePoint(convergence, 1, 0.8),
        new FineTuneResult.CurvePoint(1000, 1, 0.8));
    return new CellResult(new Cell(method, labeled, seed), "f", "s", "random", List.of(), new FineTuneResult(100, 50, 0.8,
        curve, 12.0, false), test, 1, "dev", "fp32", "sha", "now");
  }

  @Test
  void summaryIsMeanAndStdOverSeedsOfEachSeedsTestMean() {
    List<CellResult> cells = List.of(
        cell("random", 1, 0, new double[][] {{0.4, 0.6}, {0.6, 0.8}}, 400), // seed mean 0.6
        cell("random", 1, 1, new double[][] {{0.8, 0.8}, {0.8, 0.8}}, 200), // seed mean 0.8
        cell("byol", 1, 0, new double[][] {{0.9, 0.0}, {0.9, 0.9}}, 100));
    List<SummaryRow> rows = Aggregation.summarise(cells, List.of("random", "byol"), List.of("a", "b"));
    assertEquals(2, rows.size());
    SummaryRow r = rows.get(0);
    assertEquals("random", r.method());
    assertEquals(List.of(0L, 1L), r.seeds());
    assertEquals(0.7, r.dice().mean(), 1e-12);
    assertEquals(Math.sqrt(0.02), r.dice().std(), 1e-12, "sample std of 0.6 and 0.8");
    assertEquals(0.65, r.classDice().get("a").mean(), 1e-12, "class a: seed means 0.5 and 0.8");
    assertEquals(0.75, r.classDice().get("b").mean(), 1e-12, "class b: seed means 0.7 and 0.8");
    SummaryRow b = rows.get(1);
    assertEquals(1, b.hd95Missing(), "the empty prediction has no distance and is counted");
    assertEquals(0, b.dice().std(), "one seed: std 0");
    assertEquals(20.0, b.classHd95Mm().get("b").mean(), 1e-12, "only subject t1 has a distance for class b");
  }

  @Test
  void curveSummariesCompareWithTheRandomTwin() {
    List<CellResult> cells = List.of(
        cell("random", 1, 0, new double[][] {{0.5, 0.5}}, 400),
        cell("random", 1, 1, new double[][] {{0.5, 0.5}}, 200),
        cell("byol", 1, 0, new double[][] {{0.5, 0.5}}, 100),
        cell("byol", 1, 1, new double[][] {{0.5, 0.5}}, 100));
    List<CurveStats.Run> runs = Aggregation.runs(cells, 1000);
    List<CurveStats.Method> m = Aggregation.methods(runs, List.of("random", "byol", InitSpec.REFERENCE), "random");
    assertEquals(2, m.size(), "methods without runs are left out");
    assertEquals(1.0, m.get(0).speedupVsRandom(), 1e-12);
    assertEquals(3.0, m.get(1).speedupVsRandom(), 1e-12, "median of 400/100 and 200/100");
    assertEquals(100, m.get(1).medianConvergenceStep(), 1e-12);
    assertTrue(m.get(1).area().mean() > m.get(0).area().mean());
  }
}
