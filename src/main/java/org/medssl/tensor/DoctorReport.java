package org.medssl.tensor;

import java.util.List;
import java.util.Locale;

/**
 * The self-check as text: the table of the chosen configuration, the failing rows of the
 * candidates tried before it, and the verdict as the last line.
 */
public final class DoctorReport {
  private static final String ROW = "%-14s %-24s %-5s %-6s %-28s %9s %9s %9s %9s %-4s %8s%n";

  private DoctorReport() {}

  /** @param everything print every candidate's full table, not only the failing rows of the others */
  public static String render(EngineVerdict verdict, EngineConfig running, boolean everything) {
    StringBuilder out = new StringBuilder();
    out.append(String.format("CPU: %s; %s; signature %s; checked %s%n", verdict.cpu(), verdict.libtorch(), verdict.key(),
        verdict.checkedAt()));
    out.append(String.format("Each op's output, input gradient (dx) and weight gradient (dw) against double precision, "
        + "%d random draws; error = max |difference| / max |reference|; pass below %.0e (fp32) or %.0e (bf16).%n",
        EngineSelection.DRAWS, SelfCheck.FP32_TOLERANCE, SelfCheck.BF16_TOLERANCE));
    for (CandidateResult candidate : verdict.candidates()) {
      boolean chosen = candidate.config().equals(verdict.chosen());
      EngineConfig config = EngineConfig.named(candidate.config());
      out.append(String.format("%n== %s: %s%s ==%n", config.name(), config.summary(), chosen ? " (chosen)" : ""));
      if (candidate.error() != null) {
        out.append("not checked: ").append(candidate.error()).append('\n');
        continue;
      }
      List<CheckRow> rows = chosen || everything ? candidate.rows()
          : candidate.rows().stream().filter(r -> !r.pass()).toList();
      if (!chosen && !everything) {
        out.append(String.format("%d of %d rows fail (every layout); the failing ones:%n", rows.size(),
            candidate.rows().size()));
      }
      table(out, rows);
      out.append(summary(candidate)).append('\n');
    }
    out.append(String.format("%nverdict: engine %s%s%n", running.name(),
        running.name().equals(verdict.chosen()) ? "" : " (verdict " + verdict.chosen() + ")"));
    out.append(verdict.reason()).append('\n');
    return out.toString();
  }

  private static void table(StringBuilder out, List<CheckRow> rows) {
    out.append(String.format(ROW, "op", "shape", "dtype", "layout", "path", "out err", "dx err", "dw err", "max abs",
        "ok", "ms"));
    for (CheckRow r : rows) {
      out.append(String.format(Locale.ROOT, ROW, r.op(), r.shape(), r.precision(), r.layout(), r.path(),
          error(r.outputError()), error(r.inputGradError()), error(r.weightGradError()), error(r.maxAbs()),
          r.pass() ? "ok" : "FAIL", String.format(Locale.ROOT, "%.2f", r.millis())));
    }
  }

  private static String summary(CandidateResult candidate) {
    String bf16 = Double.isNaN(candidate.bf16Speedup()) ? ""
        : String.format(Locale.ROOT, "; bf16 %.2fx the speed of fp32 on a conv block", candidate.bf16Speedup());
    return String.format(Locale.ROOT, "%s; %s%s (%.1f s)", candidate.describe(Precision.FP32),
        candidate.checks(Precision.BF16) > 0 ? candidate.describe(Precision.BF16) : "bf16 not checked", bf16,
        candidate.seconds());
  }

  private static String error(double e) {
    return e < 0 ? "-" : Double.isNaN(e) ? "NaN" : String.format(Locale.ROOT, "%.1e", e);
  }
}
