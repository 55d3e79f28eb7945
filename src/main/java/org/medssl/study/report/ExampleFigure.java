package org.medssl.study.report;

import org.medssl.study.plan.Cell;
import org.medssl.study.store.CellResult;
import org.medssl.study.config.InitSpec;
import org.medssl.study.plan.StudyPlan;
import org.medssl.study.store.TestMetrics;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.medssl.data.DatasetLoader;
import org.medssl.data.Preprocessing;
import org.medssl.data.Subject;
import org.medssl.image.LabelMap;
import org.medssl.image.Slices;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.io.nifti.NiftiDataType;
import org.medssl.io.nifti.NiftiWriter;
import org.medssl.seg.SegmentationModel;
import org.medssl.tensor.Precision;
import org.medssl.viewer.ViewerPage;

/**
 * The example figure: for the first test subject, the middle slice, its ground truth, and the
 * prediction of each method at the smallest budget (first seed) and of the reference. Predictions
 * are filled, the ground truth is outlined in the same colour, so misses and false positives show.
 */
record ExampleFigure(StudyPlan plan, Path out, String footer) {
  /** The interactive page beside the figure. */
  static final String VIEWER = "viewer.html";
  /** Label colours for classes 1.. (background is not drawn). */
  private static final Color[] CLASS_COLORS = {new Color(230, 60, 60), new Color(60, 200, 80), new Color(70, 130, 255),
      new Color(250, 200, 40), new Color(200, 80, 220), new Color(40, 210, 210)};
  private static final int PANEL = 288;
  private static final int TITLE_H = 46;

  /** Writes {@code example.png}; null when no method has a stored model yet. */
  Figure write(List<CellResult> results, Path modelsDir) {
    List<DatasetSpec.Case> tests = plan.labeledTests();
    DatasetSpec.Case test = tests.get(0);
    Preprocessing pre = plan.preprocessing();
    Subject subject = new DatasetLoader(pre, plan.spec().labelNames().size()).load(test);
    int axis = pre.sliceAxis();
    int index = Slices.count(subject.image().grid(), axis) / 2;
    int[] hw = Slices.sliceShape(subject.image().grid(), axis);
    float[] image = Slices.slice(subject.image(), axis, index);
    int[] truth = Slices.slice(subject.labels(), axis, index);
    List<BufferedImage> panels = new ArrayList<>();
    panels.add(panel(image, null, null, hw, "image", test.id() + ", slice " + index));
    panels.add(panel(image, truth, null, hw, "ground truth", "filled"));
    Map<String, LabelMap> predictions = new LinkedHashMap<>();
    for (Cell cell : shownCells()) {
      Path model = modelsDir.resolve(cell.key() + ".medssl");
      if (Files.isRegularFile(model)) {
        LabelMap pred = predict(model, subject, plan.precision());
        predictions.put(cell.method() + "_n" + cell.labeled(), pred);
        panels.add(panel(image, Slices.slice(pred, axis, index), truth, hw, cell.method() + " (n=" + cell.labeled()
            + ", seed " + cell.seed() + ")", subjectDice(results, cell, test.id())));
      }
    }
    if (panels.size() == 2) {
      return null;
    }
    Canvas.writePng(Canvas.withFooter(compose(panels), footer), out.resolve("example.png"));
    writeViewer(test, subject, predictions);
    return new Figure("example.png", "Example predictions",
        "Test subject " + test.id() + ", middle slice " + index + " along axis " + axis + " (z-scored image). Each"
            + " method at the smallest budget (" + plan.budgets().get(0) + " labeled, seed " + plan.config().seeds().get(0)
            + ") and the fully supervised reference: prediction filled, ground truth outlined in the same colour. The"
            + " Dice under each title is that method's mean foreground Dice on this subject (whole volume).", VIEWER);
  }

  private List<Cell> shownCells() {
    long seed = plan.config().seeds().get(0);
    List<Cell> out = new ArrayList<>();
    for (String m : plan.methods()) {
      out.add(new Cell(m, InitSpec.REFERENCE.equals(m) ? plan.pool() : plan.budgets().get(0), seed));
    }
    return out;
  }

  private static LabelMap predict(Path file, Subject subject, Precision precision) {
    try (SegmentationModel m = SegmentationModel.load(file)) {
      // the model's own inferer: slices for 2D networks, the sliding window for 3D ones
      return m.inferer(precision, null).predict(m.net(), subject.input());
    }
  }

  /**
   * {@value #VIEWER}: the whole test subject as the networks saw it (preprocessed), its ground truth
   * and each shown method's prediction as overlays in NiiVue; the volumes are also kept as NIfTI
   * files in {@code viewer/}.
   */
  private void writeViewer(DatasetSpec.Case test, Subject subject, Map<String, LabelMap> predictions) {
    Path dir = out.resolve("viewer");
    Path image = dir.resolve(test.id() + "_image.nii.gz");
    NiftiWriter.write(image, subject.image(), null, NiftiDataType.FLOAT32);
    Path truth = dir.resolve(test.id() + "_ground_truth.nii.gz");
    NiftiWriter.writeLabels(truth, subject.labels(), null);
    List<ViewerPage.Layer> layers = new ArrayList<>(List.of(ViewerPage.Layer.of(image, false).named("image.nii.gz"),
        ViewerPage.Layer.of(truth, true).named("ground_truth.nii.gz")));
    predictions.forEach((name, labels) -> {
      Path file = dir.resolve(test.id() + "_" + name + ".nii.gz");
      NiftiWriter.writeLabels(file, labels, null);
      ViewerPage.Layer layer = ViewerPage.Layer.of(file, true).named(name + ".nii.gz");
      layers.add(layers.size() == 2 ? layer : layer.hidden()); // the ground truth and one prediction at first
    });
    ViewerPage.write(out.resolve(VIEWER), plan.config().name() + ": test subject " + test.id(), layers);
  }

  private static String subjectDice(List<CellResult> results, Cell cell, String subject) {
    return results.stream().filter(r -> r.cell().equals(cell)).findFirst()
        .map(r -> String.format(Locale.ROOT, "Dice %.3f", r.test().stream().filter(t -> t.subject().equals(subject))
            .mapToDouble(TestMetrics::dice).average().orElse(Double.NaN)))
        .orElse("");
  }

  /** One panel: grey image, optional filled labels, optional outlined labels, and a two-line title. */
  private static BufferedImage panel(float[] image, int[] fill, int[] outline, int[] hw, String title, String subtitle) {
    int h = hw[0];
    int w = hw[1];
    int scale = Math.max(1, PANEL / Math.max(h, w));
    BufferedImage img = new BufferedImage(w * scale, h * scale + TITLE_H, BufferedImage.TYPE_INT_RGB);
    double[] window = window(image);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        int grey = (int) Math.round(255 * Math.min(1, Math.max(0, (image[i] - window[0]) / (window[1] - window[0]))));
        Color c = new Color(grey, grey, grey);
        if (fill != null && fill[i] > 0) {
          c = blend(c, classColor(fill[i]), 0.5);
        }
        if (outline != null && outline[i] > 0 && isEdge(outline, i, x, y, w, h)) {
          c = classColor(outline[i]).brighter();
        }
        // Canonical RAS slices: y runs anterior, so draw it upwards (anterior at the top, as viewers do).
        fillBlock(img, x * scale, (h - 1 - y) * scale + TITLE_H, scale, c.getRGB());
      }
    }
    Graphics2D g = Canvas.graphics(img);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), TITLE_H);
    g.setColor(Color.BLACK);
    g.setFont(Canvas.LABEL);
    g.drawString(title, 6, 19);
    g.setFont(Canvas.SMALL);
    g.setColor(new Color(70, 70, 70));
    g.drawString(subtitle, 6, 39);
    g.dispose();
    return img;
  }

  /** Grey window from the 1st to the 99th percentile, so outliers do not wash the slice out. */
  private static double[] window(float[] v) {
    float[] s = v.clone();
    Arrays.sort(s);
    double lo = s[(int) (0.01 * (s.length - 1))];
    double hi = s[(int) (0.99 * (s.length - 1))];
    return new double[] {lo, hi > lo ? hi : lo + 1};
  }

  private static boolean isEdge(int[] m, int i, int x, int y, int w, int h) {
    int v = m[i];
    return x == 0 || y == 0 || x == w - 1 || y == h - 1 || m[i - 1] != v || m[i + 1] != v || m[i - w] != v
        || m[i + w] != v;
  }

  private static Color classColor(int label) {
    return CLASS_COLORS[(label - 1) % CLASS_COLORS.length];
  }

  private static Color blend(Color a, Color b, double t) {
    return new Color((int) Math.round(a.getRed() * (1 - t) + b.getRed() * t),
        (int) Math.round(a.getGreen() * (1 - t) + b.getGreen() * t), (int) Math.round(a.getBlue() * (1 - t) + b.getBlue() * t));
  }

  private static void fillBlock(BufferedImage img, int x0, int y0, int size, int rgb) {
    for (int dy = 0; dy < size; dy++) {
      for (int dx = 0; dx < size; dx++) {
        img.setRGB(x0 + dx, y0 + dy, rgb);
      }
    }
  }

  /** Panels in a row, then a legend of class colours underneath. */
  private BufferedImage compose(List<BufferedImage> panels) {
    int gap = 8;
    int w = panels.stream().mapToInt(BufferedImage::getWidth).sum() + gap * (panels.size() + 1);
    int ph = panels.get(0).getHeight();
    BufferedImage img = new BufferedImage(w, ph + 2 * gap + 34, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = Canvas.graphics(img);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    int x = gap;
    for (BufferedImage p : panels) {
      g.drawImage(p, x, gap, null);
      x += p.getWidth() + gap;
    }
    legend(g, gap, ph + gap + 24);
    g.dispose();
    return img;
  }

  private void legend(Graphics2D g, int x, int y) {
    g.setFont(Canvas.SMALL);
    List<String> names = plan.spec().labelNames();
    for (int c = 1; c < names.size(); c++) {
      g.setColor(classColor(c));
      g.fillRect(x, y - 12, 14, 14);
      g.setColor(Color.BLACK);
      g.drawString(names.get(c), x + 20, y);
      x += 40 + g.getFontMetrics().stringWidth(names.get(c));
    }
    g.setColor(new Color(70, 70, 70));
    g.drawString("fill = prediction, outline = ground truth", x + 20, y);
  }
}
