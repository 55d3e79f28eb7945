package org.medssl.study;

import java.util.List;
import java.util.Locale;

/** The study summary as a plain-text table for the terminal. */
public final class SummaryText {
  private SummaryText() {}

  public static String format(List<SummaryRow> rows, List<CurveStats.Method> curves) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-16s %8s %6s  %-22s %s%n", "method", "labeled", "seeds", "test Dice mean ± sd",
        "HD95 mm mean"));
    for (SummaryRow r : rows) {
      sb.append(String.format(Locale.ROOT, "%-16s %8d %6d  %.4f ± %.4f        %s%n", r.method(), r.labeled(),
          r.seeds().size(), r.dice().mean(), r.dice().std(), Double.isNaN(r.hd95Mm().mean()) ? "-"
              : String.format(Locale.ROOT, "%.2f", r.hd95Mm().mean())));
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
}
