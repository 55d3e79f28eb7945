package org.medssl.study.report;

import org.medssl.study.store.CellResult;
import org.medssl.study.config.InitSpec;
import org.medssl.study.store.TestMetrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.apache.commons.statistics.inference.WilcoxonSignedRankTest;

/**
 * Paired differences of every method to the baseline: a study's design is paired (each seed draws
 * the same labeled subjects for every method and the same test subjects score them), so the
 * comparison is too. The interval comes from a two-level bootstrap — pairs, then test subjects
 * within each pair — because with few seeds most of the spread is between test subjects, and
 * resampling pairs alone would give a degenerate interval.
 */
public final class PairedComparison {
  static final int RESAMPLES = 4000;
  /** Fixed, so a report regenerated from the same cells shows the same intervals. */
  static final long BOOTSTRAP_SEED = 16;

  private PairedComparison() {}

  /** Rows in method order, then by budget; the baseline and the reference have none. */
  public static List<PairedDifference> against(String baseline, List<CellResult> results, List<String> methods,
      List<SummaryRow> summary) {
    return compare(baseline, results, methods, summary, baselineCurve(baseline, summary),
        PairedComparison::subjectDifferences);
  }

  /**
   * The same comparison at one learning rate shared by every arm, from tuned cells' candidate runs
   * ("same hyper-parameters" beside "each arm tuned"). Only each run's mean test Dice is kept, so
   * the interval resamples pairs alone, and no equivalent budget is given.
   */
  public static List<PairedDifference> atLearningRate(double learningRate, String baseline, List<CellResult> results,
      List<String> methods, List<SummaryRow> summary) {
    return compare(baseline, results, methods, summary, new TreeMap<>(), (m, b) -> {
      var mine = m.meanDiceAt(learningRate);
      var theirs = b.meanDiceAt(learningRate);
      return mine.isPresent() && theirs.isPresent() ? new double[] {mine.getAsDouble() - theirs.getAsDouble()}
          : new double[0];
    });
  }

  /**
   * The same comparison for each foreground class alone (class → rows in method and budget order):
   * the mean over classes can hide a method that helps one structure and hurts another. Pairs and
   * test subjects are resampled as in {@link #against}; no equivalent budget is given.
   */
  public static Map<String, List<PairedDifference>> perClass(String baseline, List<CellResult> results,
      List<String> methods, List<SummaryRow> summary, List<String> classes) {
    Map<String, List<PairedDifference>> out = new LinkedHashMap<>();
    for (String c : classes) {
      out.put(c, compare(baseline, results, methods, summary, new TreeMap<>(),
          (m, b) -> subjectDifferences(m, b, t -> t.className().equals(c))));
    }
    return out;
  }

  private static List<PairedDifference> compare(String baseline, List<CellResult> results, List<String> methods,
      List<SummaryRow> summary, TreeMap<Integer, Double> curve, BiFunction<CellResult, CellResult, double[]> diff) {
    List<PairedDifference> out = new ArrayList<>();
    if (baseline == null) {
      return out;
    }
    for (String m : methods) {
      if (m.equals(baseline) || InitSpec.REFERENCE.equals(m)) {
        continue;
      }
      for (SummaryRow row : summary) {
        if (row.method().equals(m)) {
          double[][] diffs = pairs(results, m, baseline, row.labeled(), diff);
          if (diffs.length > 0) {
            out.add(difference(m, row.labeled(), diffs, equivalentBudget(row.dice().mean(), curve)));
          }
        }
      }
    }
    return out;
  }

  private static TreeMap<Integer, Double> baselineCurve(String baseline, List<SummaryRow> summary) {
    TreeMap<Integer, Double> curve = new TreeMap<>();
    summary.stream().filter(r -> r.method().equals(baseline)).forEach(r -> curve.put(r.labeled(), r.dice().mean()));
    return curve;
  }

  /** Per pair (seed), what {@code diff} makes of the cell and its twin (per test subject, or one value). */
  static double[][] pairs(List<CellResult> results, String method, String baseline, int labeled,
      BiFunction<CellResult, CellResult, double[]> diff) {
    List<double[]> out = new ArrayList<>();
    for (CellResult r : results) {
      if (!r.cell().method().equals(method) || r.cell().labeled() != labeled) {
        continue;
      }
      twin(results, baseline, r).map(t -> diff.apply(r, t)).filter(d -> d.length > 0).ifPresent(out::add);
    }
    return out.toArray(double[][]::new);
  }

  /** The baseline cell with the same budget and seed, if it trained on the same subjects. */
  private static Optional<CellResult> twin(List<CellResult> results, String baseline, CellResult r) {
    return results.stream().filter(t -> t.cell().method().equals(baseline) && t.cell().labeled() == r.cell().labeled()
        && t.cell().seed() == r.cell().seed() && t.trainSubjects().equals(r.trainSubjects())).findFirst();
  }

  static double[] subjectDifferences(CellResult method, CellResult baseline) {
    return subjectDifferences(method, baseline, t -> true);
  }

  /** Per test subject both cells scored, the difference of its mean Dice over the metrics {@code which} keeps. */
  private static double[] subjectDifferences(CellResult method, CellResult baseline, Predicate<TestMetrics> which) {
    Map<String, Double> mine = subjectMeans(method, which);
    Map<String, Double> theirs = subjectMeans(baseline, which);
    return mine.entrySet().stream().filter(e -> theirs.containsKey(e.getKey()))
        .mapToDouble(e -> e.getValue() - theirs.get(e.getKey())).toArray();
  }

  private static Map<String, Double> subjectMeans(CellResult r, Predicate<TestMetrics> which) {
    Map<String, double[]> sums = new LinkedHashMap<>();
    for (TestMetrics t : r.test()) {
      if (!which.test(t)) {
        continue;
      }
      double[] s = sums.computeIfAbsent(t.subject(), k -> new double[2]);
      s[0] += t.dice();
      s[1]++;
    }
    Map<String, Double> means = new LinkedHashMap<>();
    sums.forEach((k, s) -> means.put(k, s[0] / s[1]));
    return means;
  }

  public static PairedDifference difference(String method, int labeled, double[][] diffs, double equivalent) {
    double[] perPair = Arrays.stream(diffs).mapToDouble(PairedComparison::mean).toArray();
    double[] boot = bootstrap(diffs);
    int subjects = Arrays.stream(diffs).mapToInt(d -> d.length).min().orElse(0);
    return new PairedDifference(method, labeled, diffs.length, subjects, mean(perPair), quantile(boot, 0.025),
        quantile(boot, 0.975), signedRankP(perPair), equivalent);
  }

  /** Means of {@link #RESAMPLES} two-level resamples, sorted. */
  static double[] bootstrap(double[][] diffs) {
    SplittableRandom rng = new SplittableRandom(BOOTSTRAP_SEED);
    double[] out = new double[RESAMPLES];
    for (int b = 0; b < RESAMPLES; b++) {
      double sum = 0;
      for (int p = 0; p < diffs.length; p++) {
        double[] d = diffs[rng.nextInt(diffs.length)];
        double s = 0;
        for (int k = 0; k < d.length; k++) {
          s += d[rng.nextInt(d.length)];
        }
        sum += s / d.length;
      }
      out[b] = sum / diffs.length;
    }
    Arrays.sort(out);
    return out;
  }

  /** Linear interpolation between order statistics (the R-7 / numpy default definition). */
  public static double quantile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  public static double signedRankP(double[] perPair) {
    if (perPair.length == 0 || Arrays.stream(perPair).allMatch(d -> d == 0)) {
      return Double.NaN;
    }
    return WilcoxonSignedRankTest.withDefaults().test(perPair).getPValue();
  }

  /**
   * The budget at which the baseline's mean Dice (budget → mean) first reaches {@code dice},
   * interpolated linearly in log2 of the budget, as learning curves are close to straight there.
   */
  public static double equivalentBudget(double dice, TreeMap<Integer, Double> curve) {
    if (curve.isEmpty() || Double.isNaN(dice)) {
      return Double.NaN;
    }
    Integer[] n = curve.keySet().toArray(Integer[]::new);
    if (dice < curve.get(n[0])) {
      return Double.NEGATIVE_INFINITY;
    }
    for (int i = 0; i + 1 < n.length; i++) {
      double lo = curve.get(n[i]);
      double hi = curve.get(n[i + 1]);
      if (dice >= lo && dice <= hi) {
        double t = hi == lo ? 0 : (dice - lo) / (hi - lo);
        return Math.pow(2, log2(n[i]) + t * (log2(n[i + 1]) - log2(n[i])));
      }
    }
    return dice == curve.get(n[n.length - 1]) ? n[n.length - 1] : Double.POSITIVE_INFINITY;
  }

  private static double log2(double v) {
    return Math.log(v) / Math.log(2);
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }
}
