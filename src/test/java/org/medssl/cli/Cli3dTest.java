package org.medssl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.data.phantom.PhantomDataset;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.io.model.ModelFile;
import org.medssl.io.nifti.NiftiDataType;
import org.medssl.io.nifti.NiftiImage;
import org.medssl.io.nifti.NiftiReader;
import org.medssl.io.nifti.NiftiWriter;
import org.medssl.testkit.CliRun;
import org.medssl.testkit.DatasetFixtures;

/**
 * 3D end to end on a small phantom dataset (96 x 96 x 32 voxels) with a tiny network: fine-tune
 * on patches, evaluate and predict with the sliding window, and the one-line errors of bad 3D
 * flags and model files.
 */
class Cli3dTest {
  @TempDir
  static Path dir;
  static Path data;
  static Path model;
  static CliRun finetune;

  @BeforeAll
  static void trainATiny3dModel() {
    data = dir.resolve("ph");
    PhantomDataset.write(data, 5, 0, 2);
    model = dir.resolve("m3d.medssl");
    finetune = ok("finetune", "--data", data.toString(), "--labeled", "1", "--seed", "0", "--out", model.toString(),
        "--dims", "3", "--patch", "16,32,32", "--steps", "3", "--batch", "1", "--channels", "2,4", "--validation", "1",
        "--precision", "fp32");
  }

  @Test
  void fineTuningRecordsThePatchAndTheWindowInTheModel() {
    assertTrue(finetune.out().contains("3D patches 16,32,32 (d,h,w), 1 per batch"), finetune.out());
    assertTrue(finetune.out().contains("best validation Dice"), finetune.out());
    JsonNode meta = ModelFile.read(model).metadata();
    assertEquals(3, meta.path("architecture").path("dims").asInt());
    assertEquals("unet", meta.path("architecture").path("decoder").asText());
    assertEquals("sliding-window", meta.path("inference").path("method").asText());
    assertEquals("[16,32,32]", meta.path("inference").path("patch").toString());
    assertEquals(0.5, meta.path("inference").path("overlap").asDouble());
  }

  @Test
  void evaluateUsesTheSlidingWindow() throws IOException {
    Path csv = dir.resolve("m3d.csv");
    CliRun ev = ok("evaluate", "--model", model.toString(), "--data", data.toString(), "--out", csv.toString(),
        "--precision", "fp32");
    assertTrue(ev.out().contains("inference: sliding window 16,32,32 (d,h,w), overlap 0.5"), ev.out());
    List<String> lines = Files.readAllLines(csv);
    var spec = DatasetSpec.read(data);
    assertEquals(1 + spec.test().size() * (spec.labelNames().size() - 1), lines.size(), "one row per subject and class");
  }

  @Test
  void predictWritesAMaskOnTheInputGridWithAnyOverlapAndPrecision() {
    Path input = data.resolve("imagesTs/phantom_004.nii.gz");
    Path output = dir.resolve("pred3d.nii.gz");
    CliRun p = ok("predict", "--model", model.toString(), "--input", input.toString(), "--output", output.toString(),
        "--overlap", "0.25");
    assertTrue(p.out().contains("overlap 0.25"), p.out());
    NiftiImage in = NiftiReader.read(input);
    NiftiImage out = NiftiReader.read(output);
    assertTrue(out.grid().sameGeometry(in.grid()), "same shape, spacing and affine");
    assertTrue(out.labels().maxLabel() < DatasetSpec.read(data).labelNames().size());
  }

  @Test
  void resampledAlongEveryAxisAndPredictedBackOntoTheScansGrid() throws Exception {
    Path coarse = dir.resolve("coarse3d.medssl");
    CliRun ft = ok("finetune", "--data", data.toString(), "--labeled", "1", "--out", coarse.toString(), "--dims", "3",
        "--patch", "8,16,16", "--steps", "2", "--batch", "1", "--channels", "2,4", "--validation", "1", "--precision",
        "fp32", "--spacing", "3,3,6"); // the phantoms are 1.5 x 1.5 x 3 mm: half the voxels on every axis
    assertTrue(ft.out().contains("spacing [3.0, 3.0, 6.0] mm"), ft.out());
    JsonNode pre = ModelFile.read(coarse).metadata().path("preprocessing");
    assertEquals("[3.0,3.0,6.0]", pre.path("spacingMm").toString());
    assertTrue(pre.path("volumetric").asBoolean(), pre.toString());
    Path input = data.resolve("imagesTs/phantom_004.nii.gz");
    Path output = dir.resolve("coarse-mask.nii.gz");
    ok("predict", "--model", coarse.toString(), "--input", input.toString(), "--output", output.toString());
    assertTrue(NiftiReader.read(output).grid().sameGeometry(NiftiReader.read(input).grid()));
    // nibabel, an outside reader, agrees that the mask is on the scan's grid.
    String py = "import nibabel as n, numpy as np, sys; a = n.load(sys.argv[1]); b = n.load(sys.argv[2]);"
        + " print(a.shape == b.shape and np.allclose(a.affine, b.affine, atol=1e-4))";
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", py, input.toString(), output.toString())
        .redirectErrorStream(true).start();
    String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0 || !answer.contains("No module named"),
        "python3 with nibabel");
    assertEquals("True", answer);
  }

  @Test
  void aScanSmallerThanThePatchIsPaddedAndItsMaskCroppedBack() {
    Path input = dir.resolve("small.nii.gz");
    NiftiWriter.write(input, DatasetFixtures.scan(1, 2).image(), null, NiftiDataType.FLOAT32); // 16 x 16 x 4 voxels
    Path output = dir.resolve("small-mask.nii.gz");
    ok("predict", "--model", model.toString(), "--input", input.toString(), "--output", output.toString(), "--precision",
        "fp32");
    assertTrue(NiftiReader.read(output).grid().sameGeometry(NiftiReader.read(input).grid()));
  }

  @Test
  void bad3dFlagsAreOneLineErrors() {
    assertOneLine(run3d("--patch", "15,32,32"), "--patch 15,32,32: every side must be a multiple of 2, the network's"
        + " downsampling factor (e.g. 16,32,32)");
    assertOneLine(run3d("--patch", "16,32"), "--patch: expected D,H,W (three integers, slices first), got '16,32'");
    assertOneLine(finetune("--patch", "16,32,32"), "--patch 16,32,32: a patch size is for 3D networks (add --dims 3)");
    assertOneLine(finetune("--dims", "4"), "--dims: expected 2 or 3, got 4");
    assertOneLine(run3d("--decoder", "heavy"), "decoder: expected unet or light, got 'heavy'");
    assertOneLine(CliRun.of("pretrain", "--method", "contrastive", "--dims", "3", "--patch", "16,32,32", "--data",
        data.toString(), "--out", dir.resolve("never.medssl").toString()), "--method contrastive works on 2D slices"
        + " only, not --dims 3; methods for --dims 3: byol, pgl");
    assertOneLine(CliRun.of("predict", "--model", model.toString(), "--input",
        data.resolve("imagesTs/phantom_004.nii.gz").toString(), "--output", dir.resolve("x.nii.gz").toString(),
        "--overlap", "1"), "--overlap: expected a fraction in [0, 0.95], got 1.0");
    assertFalse(Files.exists(dir.resolve("never.medssl")));
    assertFalse(Files.exists(dir.resolve("x.nii.gz")));
  }

  @Test
  void aModelFileWithABadWindowIsRefusedNamingTheFile() throws IOException {
    Path odd = dir.resolve("odd-patch.medssl");
    Files.write(odd, withMetadata(model, "\"patch\" : [ 16, 32, 32 ]", "\"patch\" : [ 15, 32, 32 ]"));
    predictFails(odd, "inference.patch 15,32,32 is not divisible by the network's downsampling factor 2");
    Path huge = dir.resolve("huge-patch.medssl");
    Files.write(huge, withMetadata(model, "\"patch\" : [ 16, 32, 32 ]", "\"patch\" : [ 512, 512, 512 ]"));
    predictFails(huge, "inconsistent model file: patch 512,512,512 has more than");
    Path overlap = dir.resolve("overlap.medssl");
    Files.write(overlap, withMetadata(model, "\"overlap\" : 0.5", "\"overlap\" : 7"));
    predictFails(overlap, "overlap must be in [0, 0.95], got 7.0");
    Path none = dir.resolve("no-window.medssl");
    Files.write(none, withMetadata(model, "\"method\" : \"sliding-window\"", "\"method\" : \"guess\""));
    predictFails(none, "a 3D model needs inference.method 'sliding-window'");
  }

  private static CliRun run3d(String... extra) {
    return finetune(concat(new String[] {"--dims", "3", "--channels", "2,4"}, extra));
  }

  private static CliRun finetune(String... extra) {
    return CliRun.of(concat(new String[] {"finetune", "--data", data.toString(), "--labeled", "1", "--out",
        dir.resolve("never.medssl").toString(), "--steps", "1", "--validation", "1"}, extra));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void predictFails(Path modelFile, String problem) {
    CliRun r = CliRun.of("predict", "--model", modelFile.toString(), "--input",
        data.resolve("imagesTs/phantom_004.nii.gz").toString(), "--output", dir.resolve("never.nii.gz").toString());
    assertOneLine(r, modelFile + ": inconsistent model file: ");
    assertTrue(r.err().contains(problem), r.err());
    assertFalse(Files.exists(dir.resolve("never.nii.gz")));
  }

  /** Exit code 2 and exactly one line on stderr, the error, containing {@code text}. */
  private static void assertOneLine(CliRun r, String text) {
    assertEquals(Main.USER_ERROR, r.code(), r.err() + r.out());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().strip().startsWith("medssl: error: ") && r.err().contains(text), r.err());
  }

  private static CliRun ok(String... args) {
    CliRun r = CliRun.of(args);
    assertEquals(0, r.code(), r.err() + r.out());
    return r;
  }

  /** The model file with one piece of its medssl.json text replaced. */
  private static byte[] withMetadata(Path file, String from, String to) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(file)); ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        byte[] content = in.readAllBytes();
        if ("medssl.json".equals(e.getName())) {
          String text = new String(content, StandardCharsets.UTF_8);
          assertTrue(text.contains(from), text);
          content = text.replace(from, to).getBytes(StandardCharsets.UTF_8);
        }
        out.putNextEntry(new ZipEntry(e.getName()));
        out.write(content);
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }
}
