package org.medssl.study.report;

import org.medssl.study.store.CellFailure;
import org.medssl.study.store.CellResult;
import org.medssl.study.store.PretrainingRecord;
import org.medssl.study.plan.StudyPlan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.medssl.MedsslException;
import org.medssl.io.AtomicFiles;
import org.medssl.metrics.Summary;
import org.medssl.seg.Evaluation;
import org.medssl.Version;
import org.medssl.tensor.Engine;

/**
 * {@code report.html}: one self-contained page (images embedded as base64, also saved beside it)
 * with the summary, the figures, convergence and pretraining tables, versions and the config.
 */
final class Report {
  private final StudyPlan plan;
  private final Path out;
  private final String configSha;
  private final StringBuilder html = new StringBuilder();

  Report(StudyPlan plan, Path out, String configSha) {
    this.plan = plan;
    this.out = out;
    this.configSha = configSha;
  }

  Path write(List<CellResult> results, List<CellFailure> failures, List<SummaryRow> summary,
      Comparisons comparisons, java.util.Optional<NoiseFloor> noise, List<CurveStats.Method> curves, List<PretrainingRecord> pretrainings, List<Figure> figures) {
    head();
    CellFailure.headline(plan.cells().size(), results.size(), failures).ifPresent(h -> html.append("<p class=\"warn\"><b>Warning:</b> ")
        .append(esc(h)).append(" (see Failed runs below).</p>\n"));
    provenance(results);
    summaryTable(summary);
    pairedTable(comparisons.overall());
    sameRateTable(comparisons.sameRate());
    perClassTable(comparisons.overall(), comparisons.perClass());
    noise.ifPresent(this::noiseFloor);
    failureTable(failures);
    figures.forEach(this::figure);
    convergenceTable(curves);
    pretrainingTable(pretrainings);
    files();
    config();
    html.append("</body></html>\n");
    Path file = out.resolve("report.html");
    AtomicFiles.writeString(file, html.toString());
    return file;
  }

  private void head() {
    html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>medssl study ")
        .append(esc(plan.config().name())).append("</title><style>")
        .append("body{font-family:sans-serif;max-width:1250px;margin:2em auto;padding:0 1em;color:#222}")
        .append("table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccc;padding:3px 8px;")
        .append("text-align:right}th{background:#f2f2f2}td:first-child,th:first-child{text-align:left}")
        .append("img{max-width:100%;border:1px solid #ddd}pre{background:#f7f7f7;padding:1em;overflow:auto}")
        .append(".cap{color:#555;max-width:1000px}.meta td{text-align:left}")
        .append(".warn{background:#fdecea;border:1px solid #e0a09a;padding:.6em 1em}</style></head><body>\n")
        .append("<h1>Label-efficiency study: ").append(esc(plan.config().name())).append("</h1>\n");
  }

  private void provenance(List<CellResult> results) {
    Set<String> versions = new TreeSet<>();
    results.forEach(r -> versions.add(r.medsslVersion()));
    html.append("<table class=\"meta\">");
    row("config", plan.config().source() + " (sha " + configSha + ", copied to study.yaml)");
    row("dataset", plan.config().dataset().describe() + " at " + plan.dataDir());
    row("subjects", String.format("%d training (labeled pool %d after %d validation), %d test, %d unlabeled",
        plan.spec().trainingSubjects().size(), plan.pool(), plan.spec().trainingSubjects().size() - plan.pool(),
        plan.spec().test().size(), plan.spec().unlabeled().size()));
    row("labeled budgets", plan.budgets().toString() + (plan.config().reference() ? "; reference " + plan.pool() : ""));
    row("fine-tuning seeds", plan.config().seeds().toString());
    row("fine-tuning", plan.config().finetune().describe());
    row("cells finished", results.size() + " of " + plan.cells().size());
    row("medssl", Version.build() + (versions.isEmpty() ? "" : "; cells made with " + versions));
    row("engine", Engine.libtorchVersion() + ", " + plan.precision().label() + " precision, " + Engine.threads()
        + " threads, Java " + System.getProperty("java.version"));
    row("generated", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    html.append("</table>\n");
  }

  private void row(String key, String value) {
    html.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(value)).append("</td></tr>");
  }

  private void summaryTable(List<SummaryRow> rows) {
    List<String> classes = plan.spec().labelNames().subList(1, plan.spec().labelNames().size());
    html.append("<h2>Summary</h2><p class=\"cap\">Test metrics: per seed the mean over test subjects (and classes),"
        + " then mean ± std over seeds. HD95 in mm over the present values; <i>missing</i> counts subject × class values"
        + " without a distance. ").append(esc(Evaluation.policy())).append("</p><table><tr><th>method</th><th>labeled</th>"
        + "<th>seeds</th><th>Dice</th><th>IoU</th><th>HD95 mm</th><th>missing</th>");
    classes.forEach(c -> html.append("<th>").append(esc(c)).append(" Dice</th>"));
    html.append("<th>fine-tune s</th></tr>\n");
    for (SummaryRow r : rows) {
      html.append("<tr><td>").append(esc(r.method())).append("</td><td>").append(r.labeled()).append("</td><td>")
          .append(esc(r.seeds().toString())).append("</td><td><b>").append(pm(r.dice())).append("</b></td><td>")
          .append(pm(r.iou())).append("</td><td>").append(pm(r.hd95Mm(), 2)).append("</td><td>").append(r.hd95Missing())
          .append("</td>");
      classes.forEach(c -> html.append("<td>").append(pm(r.classDice().get(c))).append("</td>"));
      html.append("<td>").append(num(r.seconds().mean(), 1)).append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  private void pairedTable(List<PairedDifference> paired) {
    if (paired.isEmpty()) {
      return;
    }
    String tuned = plan.config().finetune().tunes() ? " Every arm, random init included, chose its learning rate"
        + " among " + plan.config().finetune().tuneLearningRates() + " by validation Dice (the same budget for each)."
        : "";
    html.append("<h2>Paired comparison with random init</h2><p class=\"cap\">Each cell against the random-init cell"
        + " with the same budget and seed, which fine-tuned on the same labeled subjects and is scored on the same test"
        + " subjects.").append(esc(tuned)).append(" Difference: mean over pairs of the pair's mean Dice difference."
            + " 95 % interval: bootstrap with ")
        .append(PairedComparison.RESAMPLES).append(" resamples of pairs, then of test subjects within each pair (with one"
            + " pair it covers only the test subjects). p: two-sided Wilcoxon signed-rank test over the pairs (exact for"
            + " small samples; with fewer than 6 pairs it cannot fall below 0.05). <i>Random needs</i>: the budget at"
            + " which random init's mean Dice curve reaches this row's mean Dice (linear in log2 of the budget);"
            + " labels saved = that budget − this row's. <b>Bold</b>: the interval excludes 0.</p><table><tr>"
            + "<th>method</th><th>labeled</th><th>pairs</th><th>test subjects</th><th>Dice difference</th>"
            + "<th>95 % interval</th><th>p</th><th>random needs</th><th>labels saved</th></tr>\n");
    for (PairedDifference p : paired) {
      html.append("<tr><td>").append(esc(p.method())).append("</td><td>").append(p.labeled()).append("</td><td>")
          .append(p.pairs()).append("</td><td>").append(p.subjects()).append("</td>");
      differenceCells(p);
      html.append("<td>").append(esc(SummaryText.equivalent(p.randomEquivalent()))).append("</td><td>")
          .append(Double.isFinite(p.labelsSaved()) ? num(p.labelsSaved(), 1) : "–").append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  /** With tuning, the same comparison at the configured learning rate for every arm. */
  private void sameRateTable(List<PairedDifference> rows) {
    if (rows.isEmpty()) {
      return;
    }
    html.append("<h3>Same hyper-parameters for every arm (learning rate ")
        .append(plan.config().finetune().learningRate()).append(")</h3><p class=\"cap\">The candidate run at the"
            + " configured learning rate of every cell, paired as above; only run means are kept, so the interval"
            + " resamples pairs alone.</p><table><tr><th>method</th><th>labeled</th><th>pairs</th>"
            + "<th>Dice difference</th><th>95 % interval</th><th>p</th></tr>\n");
    for (PairedDifference p : rows) {
      html.append("<tr><td>").append(esc(p.method())).append("</td><td>").append(p.labeled()).append("</td><td>")
          .append(p.pairs()).append("</td>");
      differenceCells(p);
      html.append("</tr>\n");
    }
    html.append("</table>\n");
  }

  /** Per class, when there is more than one: a method can help one structure and hurt another. */
  private void perClassTable(List<PairedDifference> overall, Map<String, List<PairedDifference>> perClass) {
    if (perClass.size() < 2 || overall.isEmpty()) {
      return;
    }
    html.append("<h3>Per class</h3><p class=\"cap\">The paired comparison with random init on each foreground class"
        + " alone"
        + " (Dice difference [95 % interval]; <b>bold</b>: the interval excludes 0). Also in paired_per_class.csv."
        + "</p><table><tr><th>method</th><th>labeled</th>");
    perClass.keySet().forEach(c -> html.append("<th>").append(esc(c)).append("</th>"));
    html.append("</tr>\n");
    for (PairedDifference row : overall) {
      html.append("<tr><td>").append(esc(row.method())).append("</td><td>").append(row.labeled()).append("</td>");
      for (List<PairedDifference> rows : perClass.values()) {
        html.append("<td>").append(rows.stream().filter(p -> p.method().equals(row.method())
            && p.labeled() == row.labeled()).findFirst().map(Report::differenceWithInterval).orElse("–")).append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</table>\n");
  }

  private static String differenceWithInterval(PairedDifference p) {
    return boldIfResolved(p, String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", p.mean(), p.ciLow(), p.ciHigh()));
  }

  private static String boldIfResolved(PairedDifference p, String text) {
    return p.resolved() ? "<b>" + text + "</b>" : text;
  }

  /** The difference (bold when its interval excludes 0), the interval and p, as three cells. */
  private void differenceCells(PairedDifference p) {
    html.append("<td>").append(boldIfResolved(p, String.format(Locale.ROOT, "%+.3f", p.mean()))).append("</td><td>")
        .append(String.format(Locale.ROOT, "[%+.3f, %+.3f]", p.ciLow(), p.ciHigh())).append("</td><td>")
        .append(esc(SummaryText.pValue(p.pValue()))).append("</td>");
  }

  private void noiseFloor(NoiseFloor n) {
    html.append("<p class=\"cap\"><b>Noise floor:</b> ").append(esc(n.cell().key())).append(" fine-tuned again with ")
        .append(n.threads()).append(" thread(s) (only the order of floating-point sums changes): test Dice ")
        .append(num(n.dice(), 4)).append(" vs ").append(num(n.baseDice(), 4))
        .append(String.format(Locale.ROOT, " (%+.4f); mean absolute change per test subject %.4f.", n.difference(),
            n.meanAbsSubjectDifference()))
        .append(" Differences of this size are rounding, not method.</p>\n");
  }

  private void figure(Figure f) {
    html.append("<h2>").append(esc(f.title())).append("</h2><p class=\"cap\">").append(esc(f.caption()))
        .append(" (<a href=\"").append(esc(f.file())).append("\">").append(esc(f.file())).append("</a>)</p>")
        .append("<img alt=\"").append(esc(f.title())).append("\" src=\"data:image/png;base64,")
        .append(base64(out.resolve(f.file()))).append("\">\n");
    if (f.viewer() != null) {
      html.append("<p class=\"cap\">Interactive: the whole volume in three planes and 3D, each prediction an overlay"
          + " to switch on and off (<a href=\"").append(esc(f.viewer())).append("\">").append(esc(f.viewer()))
          .append("</a>, NiiVue, offline; the report folder keeps it beside this page).</p><iframe src=\"")
          .append(esc(f.viewer())).append("\" title=\"viewer\" style=\"width:100%;height:800px;border:0\"></iframe>\n");
    }
  }

  private void convergenceTable(List<CurveStats.Method> curves) {
    html.append("<h2>Convergence</h2><p class=\"cap\">Curve area: area under the validation-Dice curve with steps"
        + " mapped from the first validation to the step budget onto [0, 1] (early-stopped runs hold their last value)."
        + " Convergence step: first validation step reaching ").append(Math.round(LearningCurves.CONVERGED * 100))
        .append(" % of the run's best validation Dice. Speed-up: median over runs with a random-init twin (same budget"
            + " and seed) of the twin's convergence step divided by the run's.</p><table><tr><th>method</th><th>runs"
            + "</th><th>curve area</th><th>convergence step (mean ± std)</th><th>median</th><th>speed-up vs random"
            + "</th></tr>\n");
    for (CurveStats.Method m : curves) {
      html.append("<tr><td>").append(esc(m.method())).append("</td><td>").append(m.runs()).append("</td><td>")
          .append(pm(m.area())).append("</td><td>").append(pm(m.convergenceStep(), 0)).append("</td><td>")
          .append(num(m.medianConvergenceStep(), 0)).append("</td><td>")
          .append(Double.isNaN(m.speedupVsRandom()) ? "–" : num(m.speedupVsRandom(), 2) + "×").append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  /** Failed runs are shown, never silently dropped: a method that diverges is a result too. */
  private void failureTable(List<CellFailure> failures) {
    if (failures.isEmpty()) {
      return;
    }
    html.append("<h2>Failed runs</h2><p class=\"cap\">").append(failures.size()).append(" run(s) diverged and are not"
        + " in the summary above; the study went on with the others.</p><table><tr><th>method</th><th>labeled</th>"
        + "<th>seed</th><th>error</th></tr>\n");
    for (CellFailure f : failures) {
      html.append("<tr><td>").append(esc(f.cell().method())).append("</td><td>").append(f.cell().labeled())
          .append("</td><td>").append(f.cell().seed()).append("</td><td style=\"text-align:left\">")
          .append(esc(f.error())).append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  private void pretrainingTable(List<PretrainingRecord> records) {
    html.append("<h2>Pretrainings</h2><p class=\"cap\">Each ran once on the training and unlabeled images (never the"
        + " test images) and is shared by all cells that fine-tune from it.</p><table><tr><th>label</th><th>method</th>"
        + "<th>steps</th><th>batch</th><th>seed</th><th>continues from</th><th>seconds</th><th>final loss</th>"
        + "<th>warnings</th></tr>\n");
    for (PretrainingRecord r : records) {
      html.append("<tr><td>").append(esc(r.label())).append("</td><td>").append(esc(r.method())).append("</td><td>")
          .append(r.steps()).append("</td><td>").append(r.batch()).append("</td><td>").append(r.seed()).append("</td><td>")
          .append(r.from() == null ? "–" : esc(r.from())).append("</td><td>").append(num(r.seconds(), 1))
          .append("</td><td>").append(num(r.finalLoss(), 4)).append("</td><td>")
          .append(esc(String.join("; ", r.warnings()))).append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  private void files() {
    html.append("<h2>Files</h2><ul>");
    for (String f : List.of("results.csv", "results_per_case.csv", "summary.csv", "learning_curves.csv",
        "convergence.csv", "convergence_summary.csv", "pretraining.csv", "failures.csv", "study.yaml", "study.log")) {
      html.append("<li><a href=\"").append(f).append("\">").append(f).append("</a></li>");
    }
    html.append("<li><code>cells/</code>: one JSON per finished cell (the results store); <code>pretrained/</code>:"
        + " pretrained models; <code>models/</code>: the fine-tuned models shown in the example figure</li></ul>\n");
  }

  private void config() {
    html.append("<h2>Config</h2><pre>").append(esc(plan.config().text())).append("</pre>\n");
  }

  private static String base64(Path png) {
    try {
      return Base64.getEncoder().encodeToString(Files.readAllBytes(png));
    } catch (IOException e) {
      throw new MedsslException(png + ": cannot read figure: " + e.getMessage(), e);
    }
  }

  private static String pm(Summary s) {
    return pm(s, 3);
  }

  private static String pm(Summary s, int digits) {
    return Double.isNaN(s.mean()) ? "–" : num(s.mean(), digits) + " ± " + num(s.std(), digits);
  }

  private static String num(double v, int digits) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%." + digits + "f", v);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
