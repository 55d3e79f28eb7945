package org.medssl.study.report;

import org.medssl.study.store.CellResult;
import org.medssl.study.store.TestMetrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.medssl.metrics.Summary;

/** Turns finished cells into per method × budget summaries and per method curve statistics. */
public final class Aggregation {
  private Aggregation() {}

  /** Rows in method order, then by budget; only method × budget pairs with at least one finished seed. */
  public static List<SummaryRow> summarise(List<CellResult> results, List<String> methods, List<String> classes) {
    List<SummaryRow> rows = new ArrayList<>();
    for (String m : methods) {
      results.stream().filter(r -> r.cell().method().equals(m)).mapToInt(r -> r.cell().labeled()).distinct().sorted()
          .forEach(n -> rows.add(row(m, n, cellsOf(results, m, n), classes)));
    }
    return rows;
  }

  private static List<CellResult> cellsOf(List<CellResult> results, String method, int labeled) {
    return results.stream().filter(r -> r.cell().method().equals(method) && r.cell().labeled() == labeled)
        .sorted(Comparator.comparingLong(r -> r.cell().seed())).toList();
  }

  private static SummaryRow row(String method, int labeled, List<CellResult> cells, List<String> classes) {
    Map<String, Summary> classDice = new LinkedHashMap<>();
    Map<String, Summary> classHd95 = new LinkedHashMap<>();
    for (String c : classes) {
      classDice.put(c, over(cells, r -> classMean(r, c, TestMetrics::dice)));
      classHd95.put(c, over(cells, r -> classMean(r, c, TestMetrics::hd95Mm)));
    }
    int missing = (int) cells.stream().flatMap(r -> r.test().stream()).filter(t -> Double.isNaN(t.hd95Mm())).count();
    return new SummaryRow(method, labeled, cells.stream().map(r -> r.cell().seed()).toList(),
        over(cells, CellResult::meanDice), over(cells, r -> mean(r, TestMetrics::iou)),
        over(cells, r -> mean(r, TestMetrics::hd95Mm)), missing, over(cells, r -> r.finetune().seconds()),
        classDice, classHd95);
  }

  private static Summary over(List<CellResult> cells, ToDoubleFunction<CellResult> value) {
    return Summary.of(cells.stream().mapToDouble(value).toArray());
  }

  /** Mean over a cell's test subjects and classes of the present values (NaN when none is present). */
  static double mean(CellResult r, ToDoubleFunction<TestMetrics> metric) {
    return Summary.of(r.test().stream().mapToDouble(metric).toArray()).mean();
  }

  static double classMean(CellResult r, String className, ToDoubleFunction<TestMetrics> metric) {
    return Summary.of(r.test().stream().filter(t -> t.className().equals(className)).mapToDouble(metric).toArray())
        .mean();
  }

  /** Curve statistics of every run, in the order given. */
  public static List<CurveStats.Run> runs(List<CellResult> results, int maxSteps) {
    return results.stream().map(r -> CurveStats.Run.of(r, maxSteps)).toList();
  }

  /** Per method: curve areas, convergence steps, and the speed-up over the random-init twins. */
  public static List<CurveStats.Method> methods(List<CurveStats.Run> runs, List<String> methods, String random) {
    List<CurveStats.Method> out = new ArrayList<>();
    for (String m : methods) {
      List<CurveStats.Run> mine = runs.stream().filter(r -> r.cell().method().equals(m)).toList();
      if (mine.isEmpty()) {
        continue;
      }
      double[] conv = mine.stream().mapToDouble(CurveStats.Run::convergence).toArray();
      out.add(new CurveStats.Method(m, mine.size(), Summary.of(mine.stream().mapToDouble(CurveStats.Run::area).toArray()),
          Summary.of(conv), median(conv), median(speedups(mine, runs, random))));
    }
    return out;
  }

  private static double[] speedups(List<CurveStats.Run> mine, List<CurveStats.Run> all, String random) {
    List<Double> ratios = new ArrayList<>();
    for (CurveStats.Run r : mine) {
      all.stream().filter(t -> Objects.equals(t.cell().method(), random) && t.cell().labeled() == r.cell().labeled()
              && t.cell().seed() == r.cell().seed()).findFirst()
          .ifPresent(t -> ratios.add(t.convergence() / r.convergence()));
    }
    return ratios.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Median of the non-NaN values; NaN when there are none. */
  static double median(double[] values) {
    double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
