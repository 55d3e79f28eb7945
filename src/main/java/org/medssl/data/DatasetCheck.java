package org.medssl.data;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.medssl.MedsslException;
import org.medssl.image.Grid;
import org.medssl.image.LabelMap;
import org.medssl.image.Orientation;
import org.medssl.image.Volume;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.io.nifti.NiftiHeader;
import org.medssl.io.nifti.NiftiImage;
import org.medssl.io.nifti.NiftiReader;

/**
 * The integrity check of a whole dataset, before anyone trains on it (nnU-Net's
 * {@code verify_dataset_integrity} in spirit): every case once, one at a time, so memory stays
 * bounded by the largest file.
 *
 * <p>{@link Depth#HEADERS} reads only headers: files present and readable, the frame or channel a
 * case reads exists, label grid = image grid. {@link Depth#FULL} also reads the voxels: finite
 * image values, labels that are whole numbers among the declared labels, and identical images
 * shared between training and test. Both flag orientations and spacings unlike the rest of the
 * dataset (warnings). The per-case checks are {@link DatasetLoader}'s, so a dataset that passes
 * here loads there.
 */
public final class DatasetCheck {
  /** How much of each file to read. */
  public enum Depth { HEADERS, FULL }

  /** One problem: the file it is in, and whether it stops a run. */
  public record Finding(Path file, boolean error, String problem) {
    public String line() {
      return file + ": " + problem;
    }
  }

  /** One case as the table shows it. */
  public record CaseRow(String id, String split, String shape, String spacing, String orientation, String labels,
      List<Finding> findings) {
    public boolean ok() {
      return findings.stream().noneMatch(Finding::error);
    }

    CaseRow named(String newId) {
      return new CaseRow(newId, split, shape, spacing, orientation, labels, findings);
    }
  }

  /** Everything found; {@link #require()} turns the first error into the run's one error line. */
  public record Report(Path root, List<CaseRow> rows, List<Finding> datasetFindings) {
    public List<Finding> findings() {
      List<Finding> all = new ArrayList<>();
      rows.forEach(r -> all.addAll(r.findings()));
      all.addAll(datasetFindings);
      return all;
    }

    public List<Finding> errors() {
      return findings().stream().filter(Finding::error).toList();
    }

    public List<Finding> warnings() {
      return findings().stream().filter(f -> !f.error()).toList();
    }

    public String verdict() {
      List<Finding> errors = errors();
      int warnings = warnings().size();
      String w = warnings == 0 ? "" : ", " + warnings + " warning" + (warnings == 1 ? "" : "s");
      return errors.isEmpty() ? root + ": OK, " + rows.size() + " cases checked" + w
          : root + ": " + errors.size() + " error" + (errors.size() == 1 ? "" : "s") + " in " + rows.stream()
              .filter(r -> !r.ok()).count() + " of " + rows.size() + " cases" + w;
    }

    /** Throws the first error as one line (with how many more there are) when there is any. */
    public void require() {
      List<Finding> errors = errors();
      if (!errors.isEmpty()) {
        throw new MedsslException(errors.get(0).line() + (errors.size() == 1 ? ""
            : " (and " + (errors.size() - 1) + " more; './medssl data check --data " + root + "' lists them)"));
      }
    }
  }

  /** Spacing this many times above or below the dataset's median on an axis is flagged. */
  static final double SPACING_OUTLIER_RATIO = 3;

  private final DatasetSpec spec;
  private final Depth depth;
  private final int classes;
  private final Map<String, String> firstImageWithDigest = new HashMap<>();
  private final List<Finding> datasetFindings = new ArrayList<>();

  private DatasetCheck(DatasetSpec spec, Depth depth) {
    this.spec = spec;
    this.depth = depth;
    this.classes = spec.labelNames().size();
  }

  /** Checks every training, test and unlabeled case of {@code spec}, reporting each row as it is done. */
  public static Report run(DatasetSpec spec, Depth depth, Consumer<CaseRow> progress) {
    return new DatasetCheck(spec, depth).run(progress);
  }

  /**
   * Every channel of a multi-channel dataset in turn ({@code --channel all}): each channel's files
   * are rows of their own, named {@code "case [channel]"}, and a case whose channels differ in
   * shape or spacing is an error (a network reads them voxel by voxel together).
   */
  public static Report runEveryChannel(DatasetSpec spec, Depth depth, Consumer<CaseRow> progress) {
    if (!spec.multiChannel()) {
      return run(spec, depth, progress);
    }
    List<CaseRow> rows = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    List<CaseRow> firstChannel = null;
    for (int k = 0; k < spec.channelNames().size(); k++) {
      DatasetSpec channel = spec.withChannel(k);
      String suffix = " [" + channel.channelName() + "]";
      Report r = run(channel, depth, row -> progress.accept(row.named(row.id() + suffix)));
      r.rows().forEach(row -> rows.add(row.named(row.id() + suffix)));
      findings.addAll(r.datasetFindings());
      if (firstChannel == null) {
        firstChannel = r.rows();
      } else {
        findings.addAll(channelGridMismatches(channel, firstChannel, r.rows()));
      }
    }
    return new Report(spec.root(), rows, findings);
  }

  /** Cases whose channel lies on another shape or spacing than their channel 0 (rows in case order). */
  private static List<Finding> channelGridMismatches(DatasetSpec channel, List<CaseRow> first, List<CaseRow> other) {
    List<DatasetSpec.Case> cases = Stream.of(channel.training(), channel.test(), channel.unlabeled())
        .flatMap(List::stream).toList();
    List<Finding> out = new ArrayList<>();
    for (int i = 0; i < Math.min(first.size(), other.size()); i++) {
      CaseRow a = first.get(i);
      CaseRow b = other.get(i);
      if (a.ok() && b.ok() && (!a.shape().equals(b.shape()) || !a.spacing().equals(b.spacing()))) {
        out.add(new Finding(cases.get(i).image(), true, "channel " + channel.channelName() + " is " + b.shape() + " at "
            + b.spacing() + " mm but channel 0 is " + a.shape() + " at " + a.spacing() + " mm; a case's channels must"
            + " share their grid"));
      }
    }
    return out;
  }

  /**
   * What the training commands run first: the headers of every case (a broken subject outside
   * today's budget still stops the run before anything is written; the voxels of the cases a run
   * uses are checked as {@link DatasetLoader} reads them); warnings are summarised.
   */
  public static void beforeTraining(DatasetSpec spec, Consumer<String> log) {
    beforeTraining(spec, Depth.HEADERS, log);
  }

  /** As {@link #beforeTraining(DatasetSpec, Consumer)} at the given depth (a study reads every voxel once). */
  public static void beforeTraining(DatasetSpec spec, Depth depth, Consumer<String> log) {
    beforeTraining(run(spec, depth, row -> { }), log);
  }

  /** As {@link #beforeTraining(DatasetSpec, Consumer)} for a run that reads every channel. */
  public static void beforeTrainingOnEveryChannel(DatasetSpec spec, Consumer<String> log) {
    beforeTraining(runEveryChannel(spec, Depth.HEADERS, row -> { }), log);
  }

  private static void beforeTraining(Report report, Consumer<String> log) {
    report.require();
    List<Finding> warnings = report.warnings();
    if (!warnings.isEmpty()) {
      log.accept("dataset check: " + warnings.size() + " warning(s), the first: " + warnings.get(0).line()
          + " ('./medssl data check --data " + report.root() + "' lists them)");
    }
  }

  private Report run(Consumer<CaseRow> progress) {
    List<CaseRow> rows = new ArrayList<>();
    List<Grid> grids = new ArrayList<>();
    List<Path> gridFiles = new ArrayList<>();
    Map<String, List<DatasetSpec.Case>> splits = Map.of("training", spec.training(), "test", spec.test(),
        "unlabeled", spec.unlabeled());
    NiftiImage[] lastRead = {null};
    Path[] lastPath = {null};
    for (String split : List.of("training", "test", "unlabeled")) {
      for (DatasetSpec.Case c : splits.get(split)) {
        CaseCheck check = new CaseCheck(c, split);
        check.run(lastPath, lastRead);
        if (check.grid != null) {
          grids.add(check.grid);
          gridFiles.add(c.image());
        }
        CaseRow row = check.row();
        rows.add(row);
        progress.accept(row);
      }
    }
    outliers(grids, gridFiles);
    return new Report(spec.root(), rows, datasetFindings);
  }

  /** The checks of one case, collecting findings instead of stopping at the first. */
  private final class CaseCheck {
    final DatasetSpec.Case c;
    final String split;
    final List<Finding> findings = new ArrayList<>();
    Grid grid;
    String labels = "";

    CaseCheck(DatasetSpec.Case c, String split) {
      this.c = c;
      this.split = split;
    }

    void run(Path[] lastPath, NiftiImage[] lastRead) {
      try {
        if (depth == Depth.HEADERS) {
          headers();
        } else {
          voxels(lastPath, lastRead);
        }
      } catch (MedsslException e) {
        findings.add(new Finding(fileOf(e), true, problemOf(e)));
      }
    }

    private void headers() {
      NiftiHeader image = NiftiReader.readHeader(present(c.image()));
      int frames = (int) image.frames();
      int frame = c.frame() == DatasetSpec.Case.WHOLE_FILE ? 0 : c.frame();
      if (c.frame() == DatasetSpec.Case.WHOLE_FILE && frames > 1 || frame >= frames) {
        throw new MedsslException(c.image() + ": " + image.shapeString() + (frame >= frames ? " has no frame "
            + frame : " is 4D where a 3D image is expected") + " (" + spec.channelList() + ")");
      }
      grid = image.grid();
      if (c.label() != null) {
        NiftiHeader label = NiftiReader.readHeader(present(c.label()));
        DatasetLoader.requireSameGrid(c.label(), label.grid(), c.image(), grid);
        if (label.frames() > 1) {
          throw new MedsslException(c.label() + ": a label map must be 3D, got " + label.shapeString());
        }
      }
    }

    private void voxels(Path[] lastPath, NiftiImage[] lastRead) {
      if (!present(c.image()).equals(lastPath[0])) {
        lastRead[0] = null; // the previous file is released before the next is read
        lastRead[0] = NiftiReader.read(c.image());
        lastPath[0] = c.image();
      }
      Volume image = DatasetLoader.volumeOf(c, lastRead[0]);
      grid = image.grid();
      long bad = image.nonFiniteCount();
      if (bad > 0) {
        findings.add(new Finding(c.image(), true, DatasetLoader.describeNonFinite(image, bad)
            + " (a broken conversion; medssl refuses it unless run with --replace-nonfinite)"));
      }
      duplicates(image);
      if (c.label() != null) {
        LabelMap l = NiftiReader.read(present(c.label())).labels();
        DatasetLoader.requireSameGrid(c.label(), l.grid(), c.image(), grid);
        labels = presentLabels(l);
        DatasetLoader.requireDeclared(c.label(), l, classes);
      }
    }

    /** A test image identical to a training image makes the test score meaningless. */
    private void duplicates(Volume image) {
      if (split.equals("unlabeled")) {
        return;
      }
      String digest = digest(image);
      String earlier = firstImageWithDigest.putIfAbsent(digest, split + " case " + c.id());
      if (earlier != null && !earlier.startsWith(split)) {
        findings.add(new Finding(c.image(), true, "identical to the image of " + earlier + " (the same scan in"
            + " training and test)"));
      } else if (earlier != null) {
        findings.add(new Finding(c.image(), false, "identical to the image of " + earlier));
      }
    }

    CaseRow row() {
      return new CaseRow(c.id() + (c.frame() == DatasetSpec.Case.WHOLE_FILE ? "" : "[" + c.frame() + "]"), split,
          grid == null ? "?" : grid.shapeString(), grid == null ? "?" : spacing(grid),
          grid == null ? "?" : Orientation.axisCodes(grid.affine()), labels, List.copyOf(findings));
    }
  }

  private static Path present(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new MedsslException(file + ": " + (Files.exists(file) ? "is not a file" : "missing"));
    }
    return file;
  }

  /** Orientations unlike the majority, spacings far from the median: warnings, since mixed data exists. */
  private void outliers(List<Grid> grids, List<Path> files) {
    Map<String, Long> orientations = grids.stream().collect(Collectors.groupingBy(
        g -> Orientation.axisCodes(g.affine()), Collectors.counting()));
    String usual = orientations.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
        .orElse("");
    double[] median = new double[3];
    for (int axis = 0; axis < 3; axis++) {
      final int a = axis;
      double[] s = grids.stream().mapToDouble(g -> g.spacingMm()[a]).sorted().toArray();
      median[axis] = s.length == 0 ? 0 : s[s.length / 2];
    }
    for (int i = 0; i < grids.size(); i++) {
      Grid g = grids.get(i);
      String codes = Orientation.axisCodes(g.affine());
      if (!codes.equals(usual)) {
        datasetFindings.add(new Finding(files.get(i), false, "orientation " + codes + " where most cases are "
            + usual + " (medssl reorients to RAS; check that this is intended)"));
      }
      for (int axis = 0; axis < 3; axis++) {
        double ratio = g.spacingMm()[axis] / median[axis];
        if (ratio > SPACING_OUTLIER_RATIO || ratio < 1 / SPACING_OUTLIER_RATIO) {
          datasetFindings.add(new Finding(files.get(i), false, String.format(Locale.ROOT,
              "spacing %s mm where the median is %s mm", spacing(g), spacing(median))));
          break;
        }
      }
    }
  }

  private static String presentLabels(LabelMap l) {
    TreeSet<Integer> values = new TreeSet<>();
    for (int v : l.labels()) {
      values.add(v);
    }
    return values.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  private static String spacing(Grid g) {
    return spacing(g.spacingMm());
  }

  private static String spacing(double[] mm) {
    return Arrays.stream(mm).mapToObj(v -> String.format(Locale.ROOT, "%.3g", v)).collect(Collectors.joining("x"));
  }

  /** SHA-256 of the grid's shape and the voxel values: equal only for the same scan. */
  private static String digest(Volume v) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(v.grid().shapeString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
      for (float x : v.voxels()) {
        if (!buffer.hasRemaining()) {
          md.update(buffer.array(), 0, buffer.position());
          buffer.clear();
        }
        buffer.putFloat(x);
      }
      md.update(buffer.array(), 0, buffer.position());
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Errors name their file first ("path: problem"); the path is split off for the table. */
  private Path fileOf(MedsslException e) {
    String m = String.valueOf(e.getMessage());
    int colon = m.indexOf(": ");
    return colon > 0 ? Path.of(m.substring(0, colon)) : spec.root();
  }

  private static String problemOf(MedsslException e) {
    String m = String.valueOf(e.getMessage());
    int colon = m.indexOf(": ");
    return colon > 0 ? m.substring(colon + 2) : m;
  }
}
