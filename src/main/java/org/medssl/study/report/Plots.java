package org.medssl.study.report;

import org.medssl.study.store.CellResult;
import org.medssl.study.config.InitSpec;
import org.medssl.study.plan.StudyPlan;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.medssl.seg.FineTuneResult;

/** The study's charts (XChart → PNG): Dice vs budget, learning curves, curve-area box plot, Dice vs pretraining length. */
record Plots(StudyPlan plan, Path out, String footer) {
  private static final BasicStroke DASHED = new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
      new float[] {10f, 7f}, 0f);

  /**
   * Mean ± std over seeds of the test Dice against the labeled budget, x in log scale, one colour per
   * method; the fully supervised reference as a dashed horizontal line.
   */
  Figure diceVsBudget(List<SummaryRow> rows) {
    XYChart c = xyChart(1000, 640, "Test Dice vs number of labeled subjects",
        "labeled training subjects (log scale)", "mean foreground Dice on test subjects");
    logTwoAxis(c);
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    List<String> methods = plan.methods().stream().filter(m -> !InitSpec.REFERENCE.equals(m)).toList();
    List<SummaryRow> own = rows.stream().filter(r -> !InitSpec.REFERENCE.equals(r.method())).toList();
    for (String m : methods) { // bands first, so every line is drawn on top of every band
      band(c, m, own.stream().filter(r -> r.method().equals(m)).toList());
    }
    for (String m : methods) {
      meanLine(c, m, own.stream().filter(r -> r.method().equals(m)).toList());
    }
    rows.stream().filter(r -> InitSpec.REFERENCE.equals(r.method())).findFirst().ifPresent(r -> referenceLine(c, r));
    diceRange(c, rows);
    return write(c, "dice_vs_labeled.png", "Dice vs labeled budget",
        "Mean over seeds of each seed's mean foreground Dice on the test subjects; bands show ± one standard deviation"
            + " over seeds. The dashed line is the fully supervised reference (all labeled subjects of the pool, random"
            + " init).");
  }

  private void band(XYChart c, String method, List<SummaryRow> rows) {
    if (rows.size() < 2) {
      return;
    }
    int n = rows.size();
    double[] x = new double[2 * n];
    double[] y = new double[2 * n];
    for (int i = 0; i < n; i++) {
      SummaryRow r = rows.get(i);
      SummaryRow back = rows.get(n - 1 - i);
      x[i] = log2(r.labeled());
      y[i] = r.dice().mean() + std(r);
      x[n + i] = log2(back.labeled());
      y[n + i] = back.dice().mean() - std(back);
    }
    XYSeries s = c.addSeries(method + " ± std", x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
    Color col = Canvas.color(plan.methods(), method);
    s.setFillColor(Canvas.withAlpha(col, 45));
    s.setLineColor(Canvas.withAlpha(col, 0));
    s.setMarker(SeriesMarkers.NONE);
    s.setShowInLegend(false);
  }

  private static double std(SummaryRow r) {
    return Double.isNaN(r.dice().std()) ? 0 : r.dice().std();
  }

  private void meanLine(XYChart c, String method, List<SummaryRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    XYSeries s = c.addSeries(method, rows.stream().mapToDouble(r -> log2(r.labeled())).toArray(),
        rows.stream().mapToDouble(r -> r.dice().mean()).toArray());
    Color col = Canvas.color(plan.methods(), method);
    s.setLineColor(col);
    s.setMarkerColor(col);
    s.setMarker(SeriesMarkers.CIRCLE);
    s.setLineWidth(2.5f);
  }

  private void referenceLine(XYChart c, SummaryRow r) {
    double lo = log2(plan.budgets().get(0));
    double hi = Math.max(log2(plan.budgets().get(plan.budgets().size() - 1)), log2(r.labeled()));
    String label = String.format(Locale.ROOT, "reference, all %d labeled: %.3f ± %.3f", r.labeled(), r.dice().mean(),
        std(r));
    XYSeries s = c.addSeries(label, new double[] {lo, hi}, new double[] {r.dice().mean(), r.dice().mean()});
    s.setLineColor(Canvas.REFERENCE);
    s.setLineStyle(DASHED);
    s.setMarker(SeriesMarkers.NONE);
  }

  /** XChart's log axis labels decades only (1, 10), useless for budgets 1–14: plot log2(n) and label powers of two. */
  private static void logTwoAxis(XYChart c) {
    c.setCustomXAxisTickLabelsFormatter(x -> {
      long k = Math.round(x);
      // XChart cannot lay out an empty label; a blank one hides the tick text.
      return Math.abs(x - k) < 1e-6 && k >= 0 ? Long.toString(1L << k) : " ";
    });
  }

  private static double log2(double v) {
    return Math.log(v) / Math.log(2);
  }

  private static void diceRange(XYChart c, List<SummaryRow> rows) {
    double min = rows.stream().mapToDouble(r -> r.dice().mean() - std(r)).filter(d -> !Double.isNaN(d)).min().orElse(0);
    c.getStyler().setYAxisMin(Math.max(0, Math.floor(min * 10 - 0.5) / 10));
    c.getStyler().setYAxisMax(1.0);
  }

  /**
   * The paired difference to random init against the labeled budget, one colour per method, each
   * point with its 95 % bootstrap interval; methods are nudged apart on x so intervals stay readable.
   */
  Figure pairedDifferences(List<PairedDifference> paired) {
    XYChart c = xyChart(1000, 640, "Paired Dice difference to random init", "labeled training subjects (log2 scale)",
        "Dice difference to random init (same subjects and seed)");
    logTwoAxis(c);
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    List<String> methods = paired.stream().map(PairedDifference::method).distinct().toList();
    // Whole-number log2 bounds so the ticks fall on the budgets (the nudged points are never on a tick).
    double lo = log2(plan.budgets().get(0)) - 0.5;
    double hi = log2(plan.budgets().get(plan.budgets().size() - 1)) + 0.5;
    c.getStyler().setXAxisMin(lo);
    c.getStyler().setXAxisMax(hi);
    XYSeries zero = c.addSeries("no difference", new double[] {lo, hi}, new double[] {0, 0});
    zero.setLineColor(Canvas.REFERENCE);
    zero.setLineStyle(DASHED);
    zero.setMarker(SeriesMarkers.NONE);
    for (int i = 0; i < methods.size(); i++) {
      String m = methods.get(i);
      double nudge = 0.12 * (i - (methods.size() - 1) / 2.0);
      List<PairedDifference> mine = paired.stream().filter(p -> p.method().equals(m)).toList();
      Color col = Canvas.color(plan.methods(), m);
      for (PairedDifference p : mine) {
        double x = log2(p.labeled()) + nudge;
        XYSeries ci = c.addSeries(m + " n=" + p.labeled() + " 95% CI", new double[] {x, x},
            new double[] {p.ciLow(), p.ciHigh()});
        ci.setLineColor(col);
        ci.setLineWidth(2f);
        ci.setMarker(SeriesMarkers.NONE);
        ci.setShowInLegend(false);
      }
      XYSeries s = c.addSeries(m, mine.stream().mapToDouble(p -> log2(p.labeled()) + nudge).toArray(),
          mine.stream().mapToDouble(PairedDifference::mean).toArray());
      s.setLineColor(col);
      s.setMarkerColor(col);
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setLineWidth(2.5f);
    }
    budgetLabels(c, paired);
    return write(c, "paired_difference.png", "Paired difference to random init",
        "Mean over seeds of the test Dice difference to the random-init cell with the same labeled subjects and seed;"
            + " vertical bars: 95 % bootstrap intervals (pairs, then test subjects). Above the dashed line the method"
            + " beats random init.");
  }

  /**
   * XChart labels no tick when every point is off the whole log2 positions (the nudged ones are),
   * so each budget gets a faint vertical line and its number written under the lowest interval.
   */
  private void budgetLabels(XYChart c, List<PairedDifference> paired) {
    c.getStyler().setXAxisTicksVisible(false);
    double low = paired.stream().mapToDouble(PairedDifference::ciLow).filter(Double::isFinite).min().orElse(0);
    double high = paired.stream().mapToDouble(PairedDifference::ciHigh).filter(Double::isFinite).max().orElse(0);
    double below = Math.min(low, 0) - 0.08 * Math.max(high - Math.min(low, 0), 1e-3);
    c.getStyler().setYAxisMin(below - 0.02 * Math.max(high - below, 1e-3));
    for (int b : plan.budgets()) {
      c.addAnnotation(new AnnotationLine(log2(b), true, false));
      c.addAnnotation(new AnnotationText(b + (b == 1 ? " subject" : " subjects"), log2(b), below, false));
    }
  }

  /** One panel per method: validation Dice against step, mean over seeds, one line per labeled budget. */
  Figure learningCurves(List<CellResult> results) {
    List<BufferedImage> panels = new ArrayList<>();
    for (String m : plan.methods()) {
      List<CellResult> mine = results.stream().filter(r -> r.cell().method().equals(m)).toList();
      if (!mine.isEmpty()) {
        panels.add(BitmapEncoder.getBufferedImage(curvePanel(m, mine)));
      }
    }
    BufferedImage grid = grid(panels, 3);
    return writeImage(grid, "learning_curves.png", "Learning curves per method",
        "Validation Dice (mean foreground Dice on the held-out validation subjects) against fine-tuning step, mean over"
            + " seeds; one line per labeled budget. Runs stop early after " + plan.config().finetune().patience()
            + " validations without improvement, so late points may average fewer seeds.");
  }

  private XYChart curvePanel(String method, List<CellResult> cells) {
    XYChart c = xyChart(560, 420, method, "fine-tuning step", "validation Dice");
    c.getStyler().setYAxisMin(0.0);
    c.getStyler().setYAxisMax(1.0);
    // Below the plot: inside, the legend hides curve ends whether they finish low or high.
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    List<Integer> budgets = cells.stream().map(r -> r.cell().labeled()).distinct().sorted().toList();
    for (int i = 0; i < budgets.size(); i++) {
      int n = budgets.get(i);
      TreeMap<Integer, double[]> mean = meanCurve(cells.stream().filter(r -> r.cell().labeled() == n).toList());
      XYSeries s = c.addSeries("n=" + n, mean.keySet().stream().mapToDouble(Integer::doubleValue).toArray(),
          mean.values().stream().mapToDouble(v -> v[0] / v[1]).toArray());
      Color col = InitSpec.REFERENCE.equals(method) ? Canvas.REFERENCE : Canvas.budgetColor(i, budgets.size());
      s.setLineColor(col);
      s.setMarkerColor(col);
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setLineWidth(2f);
    }
    return c;
  }

  /** Step → {sum, count} of the validation Dice over the runs that reached that step. */
  private static TreeMap<Integer, double[]> meanCurve(List<CellResult> cells) {
    TreeMap<Integer, double[]> acc = new TreeMap<>();
    for (CellResult r : cells) {
      for (FineTuneResult.CurvePoint p : r.finetune().curve()) {
        if (!Double.isNaN(p.validationDice())) {
          double[] v = acc.computeIfAbsent(p.step(), k -> new double[2]);
          v[0] += p.validationDice();
          v[1]++;
        }
      }
    }
    return acc;
  }

  /** Box plot of each method's learning-curve areas over all its runs (budgets and seeds). */
  Figure curveAreas(List<CurveStats.Run> runs) {
    BoxChart c = new BoxChartBuilder().width(1000).height(600).title("Area under the validation-Dice learning curve")
        .xAxisTitle("initialisation").yAxisTitle("normalised curve area (0-1)").build();
    style(c.getStyler());
    c.getStyler().setLegendVisible(false);
    c.getStyler().setYAxisDecimalPattern("0.00");
    for (String m : plan.methods()) {
      double[] areas = runs.stream().filter(r -> r.cell().method().equals(m)).mapToDouble(CurveStats.Run::area)
          .filter(a -> !Double.isNaN(a)).toArray();
      if (areas.length > 0) {
        c.addSeries(m, areas).setFillColor(Canvas.withAlpha(Canvas.color(plan.methods(), m), 150));
      }
    }
    return write(c, "curve_areas.png", "Learning-curve areas",
        "Area under each run's validation-Dice curve, steps mapped from the first validation to the step budget onto"
            + " [0, 1] (a run that stopped early keeps its last value), so 1.0 means perfect Dice from the first"
            + " validation on. Higher = learns faster and better. One value per run (all budgets and seeds).");
  }

  /** Kalapos Fig. 8: test Dice against pretraining steps for inits with several lengths; random init at 0 steps. */
  Figure diceVsPretrainingLength(List<SummaryRow> rows) {
    XYChart c = xyChart(1000, 640, "Test Dice vs pretraining length", "pretraining steps (0 = random init)",
        "mean foreground Dice on test subjects");
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    String random = plan.config().randomInit();
    int index = 0;
    for (InitSpec i : plan.config().inits()) {
      if (i.lengths().isEmpty()) {
        continue;
      }
      for (int b = 0; b < plan.budgets().size(); b++) {
        int n = plan.budgets().get(b);
        Map<Double, Double> points = new TreeMap<>();
        rowFor(rows, random, n).ifPresent(r -> points.put(0.0, r.dice().mean()));
        for (String label : i.labels()) {
          double steps = plan.pretrainingSteps(label);
          rowFor(rows, label, n).ifPresent(r -> points.put(steps, r.dice().mean()));
        }
        if (!points.isEmpty()) {
          XYSeries s = c.addSeries(i.name() + ", n=" + n, points.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
              points.values().stream().mapToDouble(Double::doubleValue).toArray());
          Color col = Canvas.color(plan.methods(), i.name());
          s.setLineColor(col);
          s.setMarkerColor(col);
          s.setMarker(SeriesMarkers.CIRCLE);
          s.setLineStyle(new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
              b == 0 ? null : new float[] {4f + 4 * b, 4f}, 0f));
        }
      }
      index++;
    }
    if (index == 0) {
      return null;
    }
    diceRange(c, rows);
    return write(c, "dice_vs_pretraining_length.png", "Dice vs pretraining length",
        "Mean test Dice over seeds after fine-tuning from pretrainings of different lengths (each a complete run with"
            + " its own warm-up and cosine schedule), one line per init and labeled budget; 0 steps is random init.");
  }

  private static java.util.Optional<SummaryRow> rowFor(List<SummaryRow> rows, String method, int labeled) {
    return rows.stream().filter(r -> r.method().equals(method) && r.labeled() == labeled).findFirst();
  }

  private static XYChart xyChart(int w, int h, String title, String x, String y) {
    XYChart c = new XYChartBuilder().width(w).height(h).title(title).xAxisTitle(x).yAxisTitle(y).build();
    style(c.getStyler());
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    c.getStyler().setMarkerSize(8);
    return c;
  }

  private static void style(AxesChartStyler s) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotGridLinesColor(new Color(225, 225, 225));
    s.setPlotBorderColor(new Color(160, 160, 160));
    s.setChartTitleFont(Canvas.TITLE);
    s.setAxisTitleFont(Canvas.LABEL);
    s.setAxisTickLabelsFont(Canvas.SMALL);
    s.setLegendFont(Canvas.SMALL);
    s.setLegendBorderColor(new Color(200, 200, 200));
    s.setChartTitleBoxVisible(false);
  }

  private static BufferedImage grid(List<BufferedImage> panels, int columns) {
    int cols = Math.min(columns, Math.max(1, panels.size()));
    int rows = (panels.size() + cols - 1) / cols;
    int w = panels.isEmpty() ? 400 : panels.get(0).getWidth();
    int h = panels.isEmpty() ? 100 : panels.get(0).getHeight();
    BufferedImage img = new BufferedImage(cols * w, Math.max(1, rows) * h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = Canvas.graphics(img);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    for (int i = 0; i < panels.size(); i++) {
      g.drawImage(panels.get(i), (i % cols) * w, (i / cols) * h, null);
    }
    g.dispose();
    return img;
  }

  private Figure write(Chart<?, ?> chart, String file, String title, String caption) {
    return writeImage(BitmapEncoder.getBufferedImage(chart), file, title, caption);
  }

  private Figure writeImage(BufferedImage img, String file, String title, String caption) {
    Canvas.writePng(Canvas.withFooter(img, footer), out.resolve(file));
    return new Figure(file, title, caption);
  }
}
