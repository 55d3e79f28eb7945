package org.medssl.study.report;

import org.medssl.study.plan.Cell;
import org.medssl.study.store.CellResult;
import org.medssl.study.plan.StudyPlan;

import java.util.Arrays;
import java.util.Optional;

/**
 * How far floating-point rounding alone moves a result: one random-init cell fine-tuned again with
 * another thread count (same data, seed and weights; only the order of the kernels' sums differs).
 * A paired difference smaller than this is not a difference between methods.
 *
 * @param cell the random-init cell that was repeated
 * @param threads the thread count of the repeat
 * @param dice the repeat's mean test Dice
 * @param baseDice the original cell's mean test Dice
 * @param meanAbsSubjectDifference mean over test subjects of the absolute Dice change
 */
public record NoiseFloor(Cell cell, int threads, double dice, double baseDice, double meanAbsSubjectDifference) {

  /** The label under which the repeat is stored; not a method, so no table counts it. */
  static final String METHOD = "noise-floor";

  /** The random-init cell to repeat: the smallest budget of the first seed. */
  public static Optional<Cell> baseCell(StudyPlan plan, String random) {
    if (random == null) {
      return Optional.empty();
    }
    return plan.cells().stream().filter(c -> c.method().equals(random)).findFirst();
  }

  /** The thread count of the repeat: one when the study runs on several, else two. */
  public static int otherThreads(int threads) {
    return threads > 1 ? 1 : 2;
  }

  /** The thread count a stored repeat ran with: its own record, else the end of its settings. */
  public static int threadsOf(CellResult repeat, String settingsPrefix) {
    if (repeat.threads() > 0) {
      return repeat.threads();
    }
    return Integer.parseInt(repeat.settings().substring(settingsPrefix.length()));
  }

  public static Cell repeatOf(Cell base) {
    return new Cell(METHOD, base.labeled(), base.seed());
  }

  public static NoiseFloor of(CellResult repeat, CellResult base, int threads) {
    double[] d = PairedComparison.subjectDifferences(repeat, base);
    return new NoiseFloor(base.cell(), threads, repeat.meanDice(), base.meanDice(),
        Arrays.stream(d).map(Math::abs).average().orElse(Double.NaN));
  }

  public double difference() {
    return dice - baseDice;
  }
}
