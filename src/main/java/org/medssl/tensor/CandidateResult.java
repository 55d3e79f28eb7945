package org.medssl.tensor;

import java.util.List;

/**
 * The self-check of one {@link EngineConfig}: its rows, and how much faster bf16 ran than fp32
 * on a convolution block (NaN when not measured). Pass and fail count the channels-first rows
 * only, the layout medssl runs; channels-last rows are there to show whether that route is sound.
 *
 * @param error why the configuration could not be checked (e.g. its child process failed), or null
 */
public record CandidateResult(String config, List<CheckRow> rows, double bf16Speedup, double seconds, String error) {

  /** True when it was checked and every row in {@code precision} passed. */
  public boolean passes(Precision precision) {
    return error == null && checks(precision) > 0 && failures(precision).isEmpty();
  }

  public List<CheckRow> failures(Precision precision) {
    return counted(precision).filter(r -> !r.pass()).toList();
  }

  public long checks(Precision precision) {
    return counted(precision).count();
  }

  private java.util.stream.Stream<CheckRow> counted(Precision precision) {
    return rows.stream().filter(r -> r.precision().equals(precision.label())
        && r.layout().equals(SelfCheck.Layout.CHANNELS_FIRST.label));
  }

  /** {@code "12 of 46 fp32 checks fail (worst: conv3x3 2x8x32x32 -> 8 fp32 NCHW, error NaN)"}, or "all N pass". */
  public String describe(Precision precision) {
    if (error != null) {
      return "not checked: " + error;
    }
    List<CheckRow> failed = failures(precision);
    if (failed.isEmpty()) {
      return "all " + checks(precision) + " " + precision.label() + " checks pass";
    }
    CheckRow worst = failed.stream().filter(r -> Double.isNaN(r.worstError())).findFirst()
        .orElseGet(() -> failed.stream().max((a, b) -> Double.compare(a.worstError(), b.worstError())).orElseThrow());
    return String.format("%d of %d %s checks fail (worst: %s, error %.2g)", failed.size(), checks(precision),
        precision.label(), worst.label(), worst.worstError());
  }
}
