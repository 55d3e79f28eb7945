package org.medssl.study.report;

import org.medssl.study.store.CellFailure;
import org.medssl.study.store.CellResult;
import org.medssl.study.config.FineTuneSettings;
import org.medssl.study.store.PretrainingRecord;
import org.medssl.study.plan.StudyPlan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.medssl.Version;

/** Regenerates every derived output of a study from its finished cells: tables, plots, the example figure, the report. */
public final class StudyOutputs {
  /** What the outputs say, for the caller to print. */
  public record Written(Path report, List<SummaryRow> summary, List<PairedDifference> paired, List<CurveStats.Method> curves) {}

  private final StudyPlan plan;
  private final Path out;
  private final String configSha;
  private final Consumer<String> log;

  public StudyOutputs(StudyPlan plan, Path out, String configSha, Consumer<String> log) {
    this.plan = plan;
    this.out = out;
    this.configSha = configSha;
    this.log = log;
  }

  public Written write(List<CellResult> results, List<CellFailure> failures, List<PretrainingRecord> pretrainings,
      Optional<NoiseFloor> noise) {
    List<String> classes = plan.spec().labelNames().subList(1, plan.spec().labelNames().size());
    List<SummaryRow> summary = Aggregation.summarise(results, plan.methods(), classes);
    List<CurveStats.Run> runs = Aggregation.runs(results, plan.config().finetune().steps());
    List<PairedDifference> paired = PairedComparison.against(plan.config().randomInit(), results, plan.methods(), summary);
    FineTuneSettings ft = plan.config().finetune();
    List<PairedDifference> sameRate = ft.tunes() ? PairedComparison.atLearningRate(ft.learningRate(),
        plan.config().randomInit(), results, plan.methods(), summary) : List.of();
    Comparisons comparisons = new Comparisons(paired, sameRate, PairedComparison.perClass(plan.config().randomInit(),
        results, plan.methods(), summary, classes));
    List<CurveStats.Method> curves = Aggregation.methods(runs, plan.methods(), plan.config().randomInit());
    ResultTables tables = new ResultTables(out, configSha, Version.build());
    tables.results(results, classes);
    tables.perCase(results);
    tables.summary(summary, paired, failures, classes);
    tables.pairedPerClass(comparisons.perClass());
    tables.failures(failures);
    tables.learningCurves(results);
    tables.convergence(runs, curves);
    tables.pretraining(pretrainings);
    List<Figure> figures = results.isEmpty() ? List.of() : figures(results, summary, paired, runs);
    Path report = new Report(plan, out, configSha).write(results, failures, summary, comparisons, noise, curves,
        pretrainings, figures);
    log.accept("wrote results.csv, summary.csv, paired_per_class.csv, failures.csv, learning_curves.csv, convergence*.csv, " + figures.size()
        + " figure(s) and " + report.getFileName());
    return new Written(report, summary, paired, curves);
  }

  private List<Figure> figures(List<CellResult> results, List<SummaryRow> summary, List<PairedDifference> paired,
      List<CurveStats.Run> runs) {
    String footer = String.format("study %s | config %s (sha %s) | medssl %s | seeds %s | %s precision",
        plan.config().name(), plan.config().source(), configSha, Version.build(), plan.config().seeds(),
        plan.precision().label());
    Plots plots = new Plots(plan, out, footer);
    List<Figure> figures = new ArrayList<>();
    figures.add(plots.diceVsBudget(summary));
    if (!paired.isEmpty()) {
      figures.add(plots.pairedDifferences(paired));
    }
    figures.add(plots.learningCurves(results));
    figures.add(plots.curveAreas(runs));
    Figure lengths = plots.diceVsPretrainingLength(summary);
    if (lengths != null) {
      figures.add(lengths);
    }
    Figure example = new ExampleFigure(plan, out, footer).write(results, out.resolve("models"));
    if (example != null) {
      figures.add(example);
    }
    return figures;
  }
}
