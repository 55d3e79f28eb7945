package org.medssl.study.store;

import org.medssl.study.plan.Cell;

import java.util.List;
import java.util.Optional;

/**
 * A cell that ran and failed (its training or its pretraining diverged). Stored like a result so
 * a rerun with the same settings, engine configuration and precision does not repeat a failure
 * that is deterministic; a rerun with other settings, on another engine configuration (a
 * divergence can be the engine's wrong numbers), with {@code --retry-failed}, or after deleting
 * the file, tries again.
 *
 * @param engine the engine configuration the cell ran on (empty in records from before it was kept)
 */
public record CellFailure(Cell cell, String fingerprint, String settings, String error, String medsslVersion,
    String precision, String engine, String configSha, String failedAt) {

  /**
   * One line for the top of the report and the terminal when most of a study's {@code cells}
   * failed: how many, that they diverged, how many finished, and where to look; empty when at most
   * half failed.
   */
  public static Optional<String> headline(int cells, int finished, List<CellFailure> failures) {
    if (failures.isEmpty() || 2 * failures.size() <= cells) {
      return Optional.empty();
    }
    String first = failures.get(0).cell().key() + ": " + failures.get(0).error();
    String what = failures.size() == cells ? String.format("0 of %d cells finished; all diverged", cells)
        : String.format("%d of %d cells failed (diverged); the results cover the %d that finished", failures.size(),
            cells, finished);
    return Optional.of(what + " (first: " + first + "). Losses that turn NaN at sane learning rates point at the engine:"
        + " run ./medssl doctor");
  }
}
