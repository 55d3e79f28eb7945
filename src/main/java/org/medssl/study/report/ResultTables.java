package org.medssl.study.report;

import org.medssl.study.store.CellFailure;
import org.medssl.study.store.CellResult;
import org.medssl.study.store.PretrainingRecord;
import org.medssl.study.store.TestMetrics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.medssl.io.CsvTable;
import org.medssl.metrics.Summary;
import org.medssl.seg.FineTuneResult;

/**
 * The study's CSV files, regenerated from the finished cells on every run. Each row carries the
 * config hash and medssl version (and the seed, or the seeds it summarises), so a table copied out
 * of the study directory still says what made it.
 */
public record ResultTables(Path out, String configSha, String version) {
  /** {@code results.csv}: per cell and class, the means over test subjects; HD95 over the present values. */
  public void results(List<CellResult> cells, List<String> classes) {
    CsvTable t = new CsvTable(List.of("method", "labeled", "seed", "class", "dice", "iou", "hd95_mm", "hd95_missing",
        "test_subjects", "finetune_seconds", "best_step", "steps_run", "best_validation_dice", "init", "precision",
        "config_sha", "medssl_version"));
    for (CellResult r : cells) {
      for (String c : classes) {
        List<TestMetrics> m = r.test().stream().filter(x -> x.className().equals(c)).toList();
        Summary hd = Summary.of(m.stream().mapToDouble(TestMetrics::hd95Mm).toArray());
        FineTuneResult f = r.finetune();
        t.add(r.cell().method(), r.cell().labeled(), r.cell().seed(), c, Aggregation.classMean(r, c, TestMetrics::dice),
            Aggregation.classMean(r, c, TestMetrics::iou), hd.mean(), hd.missing(), m.size(), f.seconds(), f.bestStep(),
            f.stepsRun(), f.bestValidationDice(), r.init(), r.precision(), r.configSha(), r.medsslVersion());
      }
    }
    t.write(out.resolve("results.csv"));
  }

  /** {@code results_per_case.csv}: every test subject × class of every cell. */
  public void perCase(List<CellResult> cells) {
    CsvTable t = new CsvTable(List.of("method", "labeled", "seed", "subject", "class", "dice", "iou", "hd_mm", "hd95_mm",
        "assd_mm", "config_sha", "medssl_version"));
    for (CellResult r : cells) {
      for (TestMetrics m : r.test()) {
        t.add(r.cell().method(), r.cell().labeled(), r.cell().seed(), m.subject(), m.className(), m.dice(), m.iou(),
            m.hdMm(), m.hd95Mm(), m.assdMm(), r.configSha(), r.medsslVersion());
      }
    }
    t.write(out.resolve("results_per_case.csv"));
  }

  /**
   * {@code summary.csv}: mean and std over seeds per method × budget; mean foreground Dice first,
   * then the paired difference to random init (empty for random init and the reference), then per class.
   */
  public void summary(List<SummaryRow> rows, List<PairedDifference> paired, List<CellFailure> failures,
      List<String> classes) {
    List<String> header = new ArrayList<>(List.of("method", "labeled", "seeds", "n", "failed", "dice_mean", "dice_std", "iou_mean",
        "iou_std", "hd95_mm_mean", "hd95_mm_std", "hd95_missing", "finetune_seconds_mean", "paired_n",
        "dice_diff_vs_random", "dice_diff_ci95_low", "dice_diff_ci95_high", "signed_rank_p", "random_equivalent_labeled"));
    for (String c : classes) {
      header.addAll(List.of(c + "_dice_mean", c + "_dice_std", c + "_hd95_mm_mean", c + "_hd95_mm_std"));
    }
    header.addAll(List.of("config_sha", "medssl_version"));
    CsvTable t = new CsvTable(header);
    for (SummaryRow r : rows) {
      long failed = failures.stream()
          .filter(f -> f.cell().method().equals(r.method()) && f.cell().labeled() == r.labeled()).count();
      List<Object> cells = new ArrayList<>(List.of(r.method(), r.labeled(), seeds(r.seeds()), r.dice().n(), failed,
          r.dice().mean(), r.dice().std(), r.iou().mean(), r.iou().std(), r.hd95Mm().mean(), r.hd95Mm().std(),
          r.hd95Missing(), r.seconds().mean()));
      cells.addAll(pairedColumns(paired, r));
      for (String c : classes) {
        cells.addAll(List.of(r.classDice().get(c).mean(), r.classDice().get(c).std(), r.classHd95Mm().get(c).mean(),
            r.classHd95Mm().get(c).std()));
      }
      cells.addAll(List.of(configSha, version));
      t.add(cells.toArray());
    }
    t.write(out.resolve("summary.csv"));
  }

  /** {@code paired_per_class.csv}: each method × budget against random init on one class at a time. */
  public void pairedPerClass(Map<String, List<PairedDifference>> perClass) {
    CsvTable t = new CsvTable(List.of("method", "labeled", "class", "paired_n", "test_subjects", "dice_diff_vs_random",
        "dice_diff_ci95_low", "dice_diff_ci95_high", "signed_rank_p", "config_sha", "medssl_version"));
    perClass.forEach((c, rows) -> rows.forEach(p -> t.add(p.method(), p.labeled(), c, p.pairs(), p.subjects(), p.mean(),
        p.ciLow(), p.ciHigh(), p.pValue(), configSha, version)));
    t.write(out.resolve("paired_per_class.csv"));
  }

  /** {@code failures.csv}: every cell that failed (diverged), with its error; a header only when none did. */
  public void failures(List<CellFailure> failures) {
    CsvTable t = new CsvTable(List.of("method", "labeled", "seed", "status", "error", "failed_at", "precision",
        "config_sha", "medssl_version"));
    for (CellFailure f : failures) {
      t.add(f.cell().method(), f.cell().labeled(), f.cell().seed(), "failed", f.error(), f.failedAt(), f.precision(),
          f.configSha(), f.medsslVersion());
    }
    t.write(out.resolve("failures.csv"));
  }

  /** {@code learning_curves.csv}: every validation point of every run (long format). */
  public void learningCurves(List<CellResult> cells) {
    CsvTable t = new CsvTable(List.of("method", "labeled", "seed", "step", "train_loss", "validation_dice", "config_sha",
        "medssl_version"));
    for (CellResult r : cells) {
      for (FineTuneResult.CurvePoint p : r.finetune().curve()) {
        t.add(r.cell().method(), r.cell().labeled(), r.cell().seed(), p.step(), p.trainLoss(), p.validationDice(),
            r.configSha(), r.medsslVersion());
      }
    }
    t.write(out.resolve("learning_curves.csv"));
  }

  /** {@code convergence.csv} per run and {@code convergence_summary.csv} per method. */
  public void convergence(List<CurveStats.Run> runs, List<CurveStats.Method> methods) {
    CsvTable t = new CsvTable(List.of("method", "labeled", "seed", "curve_area", "convergence_step", "best_step",
        "best_validation_dice", "steps_run", "stopped_early", "config_sha", "medssl_version"));
    for (CurveStats.Run r : runs) {
      t.add(r.cell().method(), r.cell().labeled(), r.cell().seed(), r.area(), r.convergence(), r.bestStep(),
          r.bestValidationDice(), r.stepsRun(), r.stoppedEarly(), configSha, version);
    }
    t.write(out.resolve("convergence.csv"));
    CsvTable s = new CsvTable(List.of("method", "runs", "curve_area_mean", "curve_area_std", "convergence_step_mean",
        "convergence_step_std", "convergence_step_median", "speedup_vs_random", "config_sha", "medssl_version"));
    for (CurveStats.Method m : methods) {
      s.add(m.method(), m.runs(), m.area().mean(), m.area().std(), m.convergenceStep().mean(), m.convergenceStep().std(),
          m.medianConvergenceStep(), m.speedupVsRandom(), configSha, version);
    }
    s.write(out.resolve("convergence_summary.csv"));
  }

  /** {@code pretraining.csv}: one row per pretraining the study ran or reused. */
  public void pretraining(List<PretrainingRecord> records) {
    CsvTable t = new CsvTable(List.of("label", "method", "steps", "batch", "seed", "from", "seconds", "final_loss",
        "warnings", "file", "fingerprint", "config_sha", "medssl_version"));
    for (PretrainingRecord r : records) {
      t.add(r.label(), r.method(), r.steps(), r.batch(), r.seed(), r.from() == null ? "" : r.from(), r.seconds(),
          r.finalLoss(), String.join(" | ", r.warnings()), r.file(), r.fingerprint(), configSha, r.medsslVersion());
    }
    t.write(out.resolve("pretraining.csv"));
  }

  private static List<Object> pairedColumns(List<PairedDifference> paired, SummaryRow r) {
    return paired.stream().filter(p -> p.method().equals(r.method()) && p.labeled() == r.labeled()).findFirst()
        .<List<Object>>map(p -> List.of(p.pairs(), p.mean(), p.ciLow(), p.ciHigh(), p.pValue(), p.randomEquivalent()))
        .orElse(List.of("", "", "", "", "", ""));
  }

  private static String seeds(List<Long> seeds) {
    return seeds.stream().map(String::valueOf).collect(Collectors.joining(" "));
  }
}
