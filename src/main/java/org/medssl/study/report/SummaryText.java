package org.medssl.study.report;

import java.util.List;
import java.util.Locale;

/** The study summary as a plain-text table for the terminal. */
public final class SummaryText {
  private SummaryText() {}

  public static String format(List<SummaryRow> rows, List<PairedDifference> paired, List<CurveStats.Method> curves) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-16s %8s %6s  %-22s %s%n", "method", "labeled", "seeds", "test Dice mean ± sd",
        "HD95 mm mean"));
    for (SummaryRow r : rows) {
      sb.append(String.format(Locale.ROOT, "%-16s %8d %6d  %.4f ± %.4f        %s%n", r.method(), r.labeled(),
          r.seeds().size(), r.dice().mean(), r.dice().std(), Double.isNaN(r.hd95Mm().mean()) ? "-"
              : String.format(Locale.ROOT, "%.2f", r.hd95Mm().mean())));
    }
    if (!paired.isEmpty()) {
      sb.append(String.format(Locale.ROOT, "%n%-16s %8s %6s  %-28s %8s  %s%n", "paired vs random", "labeled", "pairs",
          "Dice difference [95% CI]", "p", "random needs"));
      for (PairedDifference p : paired) {
        sb.append(String.format(Locale.ROOT, "%-16s %8d %6d  %+.4f [%+.4f, %+.4f]%s %8s  %s%n", p.method(), p.labeled(),
            p.pairs(), p.mean(), p.ciLow(), p.ciHigh(), p.resolved() ? " *" : "  ", pValue(p.pValue()),
            equivalent(p.randomEquivalent())));
      }
    }
    sb.append(String.format(Locale.ROOT, "%n%-16s %6s  %-20s %-18s %s%n", "method", "runs", "curve area mean ± sd",
        "convergence step", "speed-up vs random"));
    for (CurveStats.Method m : curves) {
      sb.append(String.format(Locale.ROOT, "%-16s %6d  %.3f ± %.3f        %-18s %s%n", m.method(), m.runs(),
          m.area().mean(), m.area().std(), Double.isNaN(m.medianConvergenceStep()) ? "-"
              : String.format(Locale.ROOT, "median %.0f", m.medianConvergenceStep()),
          Double.isNaN(m.speedupVsRandom()) ? "-" : String.format(Locale.ROOT, "%.2fx", m.speedupVsRandom())));
    }
    return sb.toString();
  }

  static String pValue(double p) {
    return Double.isNaN(p) ? "-" : String.format(Locale.ROOT, p < 0.001 ? "%.1e" : "%.3f", p);
  }

  /** The baseline's labeled budget with the same mean Dice, as text. */
  static String equivalent(double n) {
    if (Double.isNaN(n)) {
      return "-";
    }
    return Double.isInfinite(n) ? (n < 0 ? "below its smallest budget" : "above its largest budget")
        : String.format(Locale.ROOT, "%.1f labeled", n);
  }
}
