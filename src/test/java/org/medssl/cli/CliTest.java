package org.medssl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.medssl.io.nifti.NiftiImage;
import org.medssl.io.nifti.NiftiReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.testkit.CliRun;

/** The commands end to end on a tiny phantom dataset, with a tiny network and a few steps. */
class CliTest {
  @TempDir
  static Path dir;
  static Path data;
  static Path model;

  static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @BeforeAll
  static void trainATinyModel() {
    data = dir.resolve("ph");
    model = dir.resolve("m.medssl");
    CliRun gen = run("data", "phantom", "--out", data.toString(), "--subjects", "6", "--unlabeled", "1", "--seed", "3");
    assertEquals(0, gen.code(), gen.err());
    CliRun ft = run("finetune", "--data", data.toString(), "--labeled", "2", "--seed", "0", "--out", model.toString(),
        "--steps", "4", "--batch", "2", "--channels", "4,8", "--validation", "1", "--precision", "fp32");
    assertEquals(0, ft.code(), ft.err());
    assertTrue(ft.out().contains("best validation Dice"), ft.out());
  }

  @Test
  void aRelativeOutputDirectoryGivesAReadableDataset() throws Exception {
    // The README's commands use relative paths (--out ph); the tests' temp dirs are absolute.
    Path relative = Path.of("target", "cli-relative-ph");
    org.medssl.io.dataset.DatasetSpec.read(data).training(); // sanity: the absolute one reads
    CliRun gen = run("data", "phantom", "--out", relative.toString(), "--subjects", "3", "--unlabeled", "1");
    assertEquals(0, gen.code(), gen.err());
    var spec = org.medssl.io.dataset.DatasetSpec.read(relative);
    assertTrue(Files.exists(spec.training().get(0).image()), spec.training().get(0).image().toString());
    assertTrue(Files.readString(relative.resolve("dataset.json")).contains("\"./imagesTr/phantom_000.nii.gz\""));
  }

  @Test
  void phantomVersionTwoFromTheCommandLine() throws Exception {
    Path v2 = dir.resolve("ph-v2");
    CliRun gen = run("data", "phantom", "--out", v2.toString(), "--subjects", "3", "--unlabeled", "1", "--version", "2");
    assertEquals(0, gen.code(), gen.err());
    assertTrue(gen.out().contains("version 2"), gen.out());
    assertEquals("medssl-phantom-v2", org.medssl.io.dataset.DatasetSpec.read(v2).name());
    CliRun bad = run("data", "phantom", "--out", dir.resolve("ph-v3").toString(), "--subjects", "3", "--version", "3");
    assertEquals(2, bad.code(), bad.out() + bad.err());
    assertTrue(bad.err().contains("phantom version must be 1 or 2"), bad.err());
  }

  @Test
  void benchTimesAConfigurationAndDecodesNifti() throws Exception {
    Path json = dir.resolve("bench.json");
    CliRun b = run("bench", "--configs", "demo2d", "--precision", "fp32", "--steps", "1", "--warmup", "0",
        "--nifti", data.resolve("imagesTr").toString(), "--nifti-repeats", "1", "--json", json.toString());
    assertEquals(0, b.code(), b.err());
    assertTrue(b.out().contains("demo2d   fp32  8x1x96x96"), b.out());
    assertTrue(b.out().contains("nifti phantom_000.nii.gz"), b.out());
    assertTrue(Files.readString(json).contains("\"trainMs\""));
    CliRun bad = run("bench", "--configs", "pgl2d");
    assertEquals(Main.USER_ERROR, bad.code());
    assertTrue(bad.err().contains("unknown configuration 'pgl2d'") && bad.err().contains("pgl3d"), bad.err());
  }

  @Test
  void phantomDatasetHasTheMsdLayout() {
    assertTrue(Files.exists(data.resolve("dataset.json")));
    assertTrue(Files.exists(data.resolve("imagesTr/phantom_000.nii.gz")));
    assertTrue(Files.exists(data.resolve("labelsTs/phantom_005.nii.gz")));
    assertTrue(Files.exists(data.resolve("imagesUl/phantom_006.nii.gz")));
  }

  @Test
  void evaluateWritesOneRowPerTestSubjectAndClass() throws Exception {
    Path csv = dir.resolve("m.csv");
    CliRun ev = run("evaluate", "--model", model.toString(), "--data", data.toString(), "--out", csv.toString(),
        "--precision", "fp32");
    assertEquals(0, ev.code(), ev.err());
    List<String> lines = Files.readAllLines(csv);
    assertTrue(lines.get(1).startsWith("phantom_004,liver,1,"), lines.get(1));
    assertTrue(lines.get(0).startsWith("subject,class,label,dice,iou,hd_mm,hd95_mm"), lines.get(0));
    var spec = org.medssl.io.dataset.DatasetSpec.read(data);
    assertEquals(2, spec.test().size());
    assertEquals(1 + spec.test().size() * (spec.labelNames().size() - 1), lines.size(), "one row per subject and class");
    assertTrue(ev.out().contains("mean foreground Dice"), ev.out());
  }

  @Test
  void predictWritesAMaskOnTheInputGrid() {
    Path input = data.resolve("imagesTs/phantom_004.nii.gz");
    Path output = dir.resolve("pred.nii.gz");
    CliRun p = run("predict", "--model", model.toString(), "--input", input.toString(), "--output", output.toString());
    assertEquals(0, p.code(), p.err());
    NiftiImage in = NiftiReader.read(input);
    NiftiImage out = NiftiReader.read(output);
    assertTrue(out.grid().sameGeometry(in.grid()), "same shape, spacing and affine");
    assertTrue(out.labels().maxLabel() <= 3);
  }

  @Test
  void inspectDescribesAFile() {
    CliRun r = run("inspect", data.resolve("imagesTr/phantom_000.nii.gz").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("96"), r.out());
  }

  @Test
  void pretrainThenFineTuneLoadsTheTransferableWeights() {
    for (String method : new String[] {"denoise", "contrastive", "byol"}) {
      Path pre = dir.resolve("pre-" + method + ".medssl");
      CliRun p = run("pretrain", "--method", method, "--data", data.toString(), "--out", pre.toString(), "--steps", "2",
          "--batch", "2", "--channels", "4,8", "--precision", "fp32");
      assertEquals(0, p.code(), method + ": " + p.err());
      assertTrue(p.out().contains("(4 training + 1 unlabeled; test subjects excluded)"), "MSD's unlabeled list: " + p.out());
      CliRun ft = run("finetune", "--data", data.toString(), "--labeled", "1", "--out", dir.resolve("ft.medssl").toString(),
          "--init", pre.toString(), "--steps", "1", "--batch", "2", "--channels", "4,8", "--validation", "1",
          "--precision", "fp32");
      assertEquals(0, ft.code(), method + ": " + ft.err());
      String expectedLoaded = method.equals("byol") ? "loaded {encoder=" : "loaded {decoder=";
      assertTrue(ft.out().contains(expectedLoaded), method + ": " + ft.out());
    }
    CliRun old = run("pretrain", "--method", "denoise", "--data", data.toString(), "--out",
        dir.resolve("pre-old.medssl").toString(), "--steps", "1", "--batch", "2", "--channels", "4,8", "--precision", "fp32",
        "--flips", "--remap-probability", "0", "--mask-block", "1", "--mask-fraction", "0.02", "--local-level", "0",
        "--no-local-crops", "--whole-slice-crops");
    assertEquals(0, old.code(), old.err());
    CliRun badRemap = run("pretrain", "--method", "byol", "--data", data.toString(), "--out",
        dir.resolve("pre-bad.medssl").toString(), "--steps", "1", "--remap-probability", "2");
    assertEquals(Main.USER_ERROR, badRemap.code());
    assertTrue(badRemap.err().contains("remapProbability (--remap-probability) must be in [0, 1], got 2.0"), badRemap.err());
    CliRun mismatch = run("finetune", "--data", data.toString(), "--labeled", "1", "--out", dir.resolve("ft.medssl").toString(),
        "--init", dir.resolve("pre-denoise.medssl").toString(), "--steps", "1", "--channels", "8,16");
    assertEquals(Main.USER_ERROR, mismatch.code());
    assertTrue(mismatch.err().contains("does not fit the network: weight encoder.stage0.conv1.w has shape"),
        mismatch.err());
  }

  @Test
  void fineTuneWithAnEncoderLearningRateScaleAndAFrozenEncoderPhase() {
    CliRun ft = run("finetune", "--data", data.toString(), "--labeled", "1", "--out", dir.resolve("lpft.medssl").toString(),
        "--steps", "3", "--batch", "2", "--channels", "4,8", "--validation", "1", "--precision", "fp32",
        "--encoder-lr-scale", "0.1", "--frozen-encoder-steps", "2");
    assertEquals(0, ft.code(), ft.err());
    assertTrue(ft.out().contains("encoder (encoder.*): learning rate x 0.1, frozen for the first 2 steps"), ft.out());
  }

  @Test
  void userErrorsAreOneLineWithExitCodeTwo() {
    CliRun missing = run("evaluate", "--model", dir.resolve("nope.medssl").toString(), "--data", data.toString(),
        "--out", dir.resolve("x.csv").toString());
    assertEquals(Main.USER_ERROR, missing.code());
    assertEquals(1, missing.err().strip().lines().count(), missing.err());
    assertTrue(missing.err().contains("nope.medssl: model file does not exist"), missing.err());

    CliRun budget = run("finetune", "--data", data.toString(), "--labeled", "50", "--out", dir.resolve("y.medssl").toString());
    assertEquals(Main.USER_ERROR, budget.code());
    assertTrue(budget.err().contains("--labeled 50 is larger than"), budget.err());

    CliRun frozenTooLong = run("finetune", "--data", data.toString(), "--labeled", "1", "--out",
        dir.resolve("y.medssl").toString(), "--steps", "3", "--frozen-encoder-steps", "3");
    assertEquals(Main.USER_ERROR, frozenTooLong.code());
    assertTrue(frozenTooLong.err().contains("--frozen-encoder-steps must be >= 0 and fewer than the 3 training steps"),
        frozenTooLong.err());
    CliRun negativeScale = run("finetune", "--data", data.toString(), "--labeled", "1", "--out",
        dir.resolve("y.medssl").toString(), "--encoder-lr-scale", "-1");
    assertEquals(Main.USER_ERROR, negativeScale.code());
    assertTrue(negativeScale.err().contains("--encoder-lr-scale must be a finite number >= 0"), negativeScale.err());

    CliRun noData = run("finetune", "--data", dir.resolve("empty").toString(), "--labeled", "1", "--out", "z.medssl");
    assertEquals(Main.USER_ERROR, noData.code());
    assertTrue(noData.err().contains("empty: does not exist (expected a dataset directory)"), noData.err());
  }
}
