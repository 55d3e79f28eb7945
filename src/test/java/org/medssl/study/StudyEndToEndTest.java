package org.medssl.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.Version;
import org.medssl.cli.Main;
import org.medssl.data.phantom.PhantomDataset;

/**
 * A tiny study through the command line: tiny phantoms, a 4-8 U-Net, a few steps, a hierarchical
 * chain and a pretraining-length variant. Checks every output, then that a rerun skips everything.
 */
public class StudyEndToEndTest {
  @TempDir
  static Path dir;
  static Path study;
  static String firstRun;

  static final String CONFIG = """
      name: tiny
      dataset: {path: ph}
      pretraining: {steps: 3, batch: 4}
      inits:
        - random
        - {name: byol, method: byol, lengths: [2]}
        - {name: byol2, method: byol, from: byol, steps: 2}
      labeled: [1, 1.0]
      seeds: [0, 1]
      finetune: {steps: 4, batch: 2, channels: [4, 8], validation: 1, validateEvery: 2, patience: 2}
      noiseFloor: true
      """;

  /** Runs the CLI in this JVM and returns what it printed; fails on a non-zero exit. */
  public static String run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      assertEquals(0, code, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @BeforeAll
  static void runTinyStudy() throws Exception {
    PhantomDataset.write(dir.resolve("ph"), 6, 1, 3);
    Files.writeString(dir.resolve("tiny.yaml"), CONFIG);
    study = dir.resolve("out");
    firstRun = run("study", "--config", dir.resolve("tiny.yaml").toString(), "--out", study.toString(), "--precision",
        "fp32");
  }

  @Test
  void writesEveryOutput() {
    for (String f : List.of("results.csv", "results_per_case.csv", "summary.csv", "paired_per_class.csv", "learning_curves.csv",
        "convergence.csv", "convergence_summary.csv", "pretraining.csv", "study.yaml", "study.log", "report.html",
        "dice_vs_labeled.png", "paired_difference.png", "learning_curves.png", "curve_areas.png",
        "dice_vs_pretraining_length.png", "example.png", "pretrained/byol.medssl", "pretrained/byol@2.medssl", "pretrained/byol2.medssl", "models/byol2-n1-s0.medssl",
        "models/reference-n3-s0.medssl", "viewer.html")) {
      assertTrue(Files.isRegularFile(study.resolve(f)), f);
    }
    // 4 methods x budgets {1, 3} x 2 seeds + 2 reference cells + the noise floor's repeat of random-n1-s0.
    assertEquals(19, cellFiles().size());
    assertTrue(firstRun.contains("report: "), firstRun);
  }

  @Test
  void resultsHaveOneRowPerCellAndClassWithProvenance() throws Exception {
    List<String> lines = Files.readAllLines(study.resolve("results.csv"));
    assertTrue(lines.get(0).startsWith("method,labeled,seed,class,dice,iou,hd95_mm,"), lines.get(0));
    assertTrue(lines.get(0).contains("finetune_seconds") && lines.get(0).endsWith("config_sha,medssl_version"));
    assertEquals(1 + 18 * 3, lines.size(), "18 cells x 3 foreground classes");
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("reference,3,1,spleen,")));
    assertTrue(lines.stream().skip(1).allMatch(l -> l.endsWith("," + Version.build())),
        "every row names the build that made it: " + lines.get(1));
    List<String> summary = Files.readAllLines(study.resolve("summary.csv"));
    assertTrue(summary.get(0).startsWith("method,labeled,seeds,n,failed,dice_mean,dice_std,"), summary.get(0));
    assertTrue(summary.get(0).contains("liver_dice_mean"), summary.get(0));
    assertEquals(1 + 4 * 2 + 1, summary.size(), "per method x budget, plus the reference");
    assertTrue(summary.get(1).startsWith("random,1,0 1,2,0,"), summary.get(1));
    int diff = List.of(summary.get(0).split(",")).indexOf("dice_diff_vs_random");
    assertTrue(diff > 0, summary.get(0));
    assertEquals("", summary.get(1).split(",", -1)[diff], "random init has no difference to itself");
    assertTrue(summary.stream().filter(l -> l.startsWith("byol2,1,")).allMatch(l -> !l.split(",", -1)[diff].isEmpty()
        && l.split(",", -1)[diff - 1].equals("2")), "two pairs (seeds) of byol2 against random init");
    List<String> conv = Files.readAllLines(study.resolve("convergence_summary.csv"));
    assertEquals(1 + 5, conv.size());
    String report = Files.readString(study.resolve("report.html"));
    assertTrue(report.contains("data:image/png;base64,") && report.contains("byol2") && report.contains("medssl"));
    assertTrue(report.contains("from: byol"), "the report shows the config");
    assertTrue(report.contains("Paired comparison with random init"), "the report has the paired table");
    assertTrue(report.contains("<h3>Per class</h3>"), "and its per-class version");
    List<String> perClass = Files.readAllLines(study.resolve("paired_per_class.csv"));
    assertTrue(perClass.get(0).startsWith("method,labeled,class,paired_n,test_subjects,dice_diff_vs_random,"),
        perClass.get(0));
    // 3 pretrained methods x budgets {1, 3} x 3 foreground classes, every cell paired with random init.
    assertEquals(1 + 3 * 2 * 3, perClass.size(), String.join("\n", perClass));
    assertTrue(perClass.stream().anyMatch(l -> l.startsWith("byol2,1,spleen,2,")), String.join("\n", perClass));
    assertTrue(firstRun.contains("paired vs random"), "so does the terminal summary");
    assertTrue(report.contains("<b>Noise floor:</b> random-n1-s0 fine-tuned again with "), "and the noise floor");
    assertTrue(firstRun.contains("noise floor: random-n1-s0 with "), firstRun);
    assertTrue(report.contains("<iframe src=\"viewer.html\""), "the report embeds the viewer");
  }

  /** The viewer holds the example subject's image, its ground truth and each shown method's prediction. */
  @Test
  void theViewerHoldsTheImageTheGroundTruthAndEachShownPrediction() throws Exception {
    String viewer = Files.readString(study.resolve("viewer.html"));
    for (String layer : List.of("image.nii.gz", "ground_truth.nii.gz", "random_n1.nii.gz", "byol2_n1.nii.gz",
        "reference_n3.nii.gz")) {
      assertTrue(viewer.contains("\"" + layer + "\""), layer);
    }
    try (var files = Files.list(study.resolve("viewer"))) {
      assertTrue(files.count() >= 5, "the volumes are kept as NIfTI files too");
    }
  }

  @Test
  void figuresAreReadablePngs() throws Exception {
    for (String f : List.of("dice_vs_labeled.png", "paired_difference.png", "learning_curves.png", "curve_areas.png",
        "example.png")) {
      var img = ImageIO.read(study.resolve(f).toFile());
      assertTrue(img.getWidth() >= 800 && img.getHeight() >= 300, f + " " + img.getWidth() + "x" + img.getHeight());
    }
  }

  @Test
  void rerunSkipsEverythingAndRewritesNoCell() throws Exception {
    Map<Path, FileTime> before = mtimes();
    String again = run("study", "--config", dir.resolve("tiny.yaml").toString(), "--out", study.toString(),
        "--precision", "fp32");
    assertEquals(18, again.lines().filter(l -> l.startsWith("skipping finished cell")).count(), again);
    assertTrue(!again.contains("pretraining byol"), "no pretraining reruns");
    assertEquals(before, mtimes());
  }

  static List<Path> cellFiles() {
    try (Stream<Path> s = Files.list(study.resolve("cells"))) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<Path, FileTime> mtimes() throws Exception {
    Map<Path, FileTime> m = new TreeMap<>();
    for (Path p : cellFiles()) {
      m.put(p, Files.getLastModifiedTime(p));
    }
    try (Stream<Path> s = Files.list(study.resolve("pretrained"))) {
      for (Path p : s.toList()) {
        m.put(p, Files.getLastModifiedTime(p));
      }
    }
    return m;
  }
}
