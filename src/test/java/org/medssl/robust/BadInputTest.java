package org.medssl.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.cli.Main;
import org.medssl.data.phantom.PhantomDataset;
import org.medssl.testkit.CliRun;

/**
 * Hostile and broken inputs through the command line, as a user meets them: each must end with
 * exit code 2 and exactly one line on stderr that names the file (or option) and the problem, no
 * stack trace, within seconds, and must leave files that were already written untouched.
 */
class BadInputTest {
  @TempDir
  static Path root;
  static Path good;
  static Path model;
  static Path pretrained;
  private static final Duration QUICK = Duration.ofSeconds(60);

  @BeforeAll
  static void makeAGoodDatasetAndModels() {
    good = root.resolve("good");
    PhantomDataset.write(good, 5, 0, 1);
    model = root.resolve("m.medssl");
    pretrained = root.resolve("pre.medssl");
    ok("finetune", "--data", good.toString(), "--labeled", "1", "--out", model.toString(), "--steps", "1", "--batch",
        "1", "--channels", "2,4", "--validation", "1", "--precision", "fp32");
    ok("pretrain", "--method", "denoise", "--data", good.toString(), "--out", pretrained.toString(), "--steps", "1",
        "--batch", "2", "--channels", "2,4", "--precision", "fp32");
  }

  // ---- NIfTI files (read by inspect; every command reads them the same way) ----

  @Test
  void truncatedPlainNifti() throws IOException {
    Path f = nifti("cut.nii", b -> { });
    byte[] all = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(all, all.length - 100));
    inspectFails(f, "truncated file: header says");
  }

  @Test
  void truncatedGzipNifti() throws IOException {
    Path f = root.resolve("cut.nii.gz");
    byte[] gz = Files.readAllBytes(image(0));
    Files.write(f, Arrays.copyOf(gz, gz.length / 2));
    inspectFails(f, "truncated");
  }

  @Test
  void corruptGzipData() throws IOException {
    Path f = root.resolve("corrupt.nii.gz");
    byte[] gz = Files.readAllBytes(image(0));
    for (int i = gz.length / 3; i < gz.length / 3 + 64; i++) {
      gz[i] ^= 0x5a;
    }
    Files.write(f, gz);
    inspectFails(f, "corrupt gzip data");
  }

  @Test
  void emptyFile() throws IOException {
    Path f = root.resolve("empty.nii");
    Files.write(f, new byte[0]);
    inspectFails(f, "not a NIfTI file: shorter than a header");
  }

  @Test
  void missingFile() {
    inspectFails(root.resolve("nowhere.nii.gz"), "no such file");
  }

  @Test
  void wrongMagic() throws IOException {
    inspectFails(nifti("magic.nii", b -> b.put(344, "xy1".getBytes(StandardCharsets.US_ASCII))), "magic is");
  }

  @Test
  void wrongSizeofHdr() throws IOException {
    inspectFails(nifti("sizeof.nii", b -> b.putInt(0, 123)), "sizeof_hdr");
  }

  @Test
  void zeroDimension() throws IOException {
    inspectFails(nifti("zero.nii", b -> b.putShort(44, (short) 0)), "invalid dim[2] = 0");
  }

  @Test
  void negativeDimension() throws IOException {
    inspectFails(nifti("negative.nii", b -> b.putShort(42, (short) -5)), "invalid dim[1] = -5");
  }

  @Test
  void dimensionCountOutOfRange() throws IOException {
    inspectFails(nifti("ndim.nii", b -> b.putShort(40, (short) 9)), "dim[0]");
  }

  @Test
  void dimsWhoseProductOverflowsAreRefusedBeforeAllocating() throws IOException {
    Path f = nifti("huge.nii", b -> {
      for (int axis = 1; axis <= 4; axis++) {
        b.putShort(40 + 2 * axis, (short) 32767);
      }
      b.putShort(40, (short) 4);
    });
    inspectFails(f, "voxels");
  }

  @Test
  void dimsLargerThanTheFileAreRefusedBeforeAllocating() throws IOException {
    Path f = nifti("big.nii", b -> {
      b.putShort(42, (short) 1000);
      b.putShort(44, (short) 1000);
      b.putShort(46, (short) 1000);
    });
    inspectFails(f, "truncated file: header says 4000000000 bytes of voxels");
  }

  @Test
  void unsupportedDatatype() throws IOException {
    inspectFails(nifti("rgb.nii", b -> {
      b.putShort(70, (short) 128);
      b.putShort(72, (short) 24);
    }), "unsupported NIfTI datatype rgb24 (code 128)");
  }

  @Test
  void voxOffsetBeyondTheFile() throws IOException {
    inspectFails(nifti("offset.nii", b -> b.putFloat(108, 1e7f)), "vox_offset");
  }

  @Test
  void aDirectoryInsteadOfAFile() {
    inspectFails(good, "is a directory, not a NIfTI file");
  }

  // ---- datasets (finetune; pretrain and study read them the same way) ----

  @Test
  void noDatasetJson() throws IOException {
    Path d = Files.createDirectories(root.resolve("nojson"));
    finetuneFails(d, d, "no dataset layout recognised: no dataset.json");
  }

  @Test
  void malformedDatasetJson() throws IOException {
    Path d = copyOfGood("malformed");
    Files.writeString(d.resolve("dataset.json"), "{\"labels\": {\"0\": \"background\"}, \"training\": [");
    finetuneFails(d, d.resolve("dataset.json"), "malformed JSON at line 1: Unexpected end-of-input");
  }

  @Test
  void datasetJsonReferencingAMissingFile() throws IOException {
    Path d = copyOfGood("missingref");
    Files.delete(d.resolve("labelsTr/phantom_001.nii.gz"));
    finetuneFails(d, d.resolve("dataset.json"), "training[1].label ./labelsTr/phantom_001.nii.gz does not exist");
  }

  @Test
  void emptyDataset() throws IOException {
    Path d = copyOfGood("emptyds");
    Files.writeString(d.resolve("dataset.json"), "{\"modality\": {\"0\": \"MRI\"}, \"labels\": {\"0\": \"background\", \"1\": \"liver\"},"
        + " \"training\": []}");
    finetuneFails(d, d.resolve("dataset.json"), "no training cases");
  }

  @Test
  void labelGridWithAnotherShape() throws IOException {
    Path d = copyOfGood("shape");
    Path label = d.resolve("labelsTr/phantom_000.nii.gz");
    rewriteGz(label, b -> b.putShort(46, (short) (b.getShort(46) / 2)), 0.5);
    finetuneFails(d, label, "does not match image");
  }

  @Test
  void labelGridWithAnotherAffine() throws IOException {
    Path d = copyOfGood("affine");
    Path label = d.resolve("labelsTr/phantom_000.nii.gz");
    rewriteGz(label, b -> {
      b.putFloat(268, b.getFloat(268) + 7); // qoffset_x
      b.putFloat(292, b.getFloat(292) + 7); // srow_x[3]
    }, 1);
    finetuneFails(d, label, "does not match image");
  }

  @Test
  void labelValueNotDeclared() throws IOException {
    Path d = copyOfGood("undeclared");
    Path label = d.resolve("labelsTr/phantom_000.nii.gz");
    rewriteGz(label, b -> b.put(voxOffset(b) + 10, (byte) 9), 1);
    finetuneFails(d, label, "label value 9 is not a declared label");
  }

  @Test
  void labelFileThatIsNotALabelMap() throws IOException {
    Path d = copyOfGood("fractional");
    Path label = d.resolve("labelsTr/phantom_000.nii.gz");
    rewriteGz(label, b -> b.putFloat(112, 0.5f), 1); // scl_slope 0.5: label 1 reads as 0.5
    finetuneFails(d, label, "not a label map");
  }

  @Test
  void labelGridMismatchInASubjectNoRunUses() throws IOException {
    Path d = copyOfGood("unused");
    Path label = d.resolve("labelsTs/phantom_004.nii.gz"); // a test subject: finetune never reads it
    rewriteGz(label, b -> b.putShort(46, (short) (b.getShort(46) / 2)), 0.5);
    finetuneFails(d, label, "does not match image");
  }

  @Test
  void nanVoxelsStopTrainingUnlessReplacementIsAsked() throws IOException {
    Path d = copyOfGood("nan");
    for (int i = 0; i < 3; i++) { // every training image, so whichever the budget picks is broken
      rewriteGz(d.resolve(String.format("imagesTr/phantom_%03d.nii.gz", i)), b -> {
        for (int k = 0; k < 4; k++) {
          b.putFloat(voxOffset(b) + 4 * (500 + k), Float.NaN);
        }
      }, 1);
    }
    finetuneFails(d, d.resolve("imagesTr"), "4 NaN/Inf voxels (first at x,y,z");
    CliRun replaced = ok("finetune", "--data", d.toString(), "--labeled", "1", "--out", root.resolve("nan.medssl")
        .toString(), "--steps", "1", "--batch", "1", "--channels", "2,4", "--validation", "1", "--precision", "fp32",
        "--replace-nonfinite");
    assertTrue(replaced.out().contains("replaced 8 NaN/Inf voxel(s) in 2 scan(s)"), replaced.out());
  }

  @Test
  void theSameScanInTrainingAndTest() throws IOException {
    Path d = copyOfGood("leak");
    Path test = d.resolve("imagesTs/phantom_004.nii.gz");
    Files.copy(d.resolve("imagesTr/phantom_000.nii.gz"), test, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertNames(fails("data", "check", "--data", d.toString()), test, "the same scan in training and test");
  }

  @Test
  void aGoodDatasetPassesTheCheck() {
    CliRun r = ok("data", "check", "--data", good.toString());
    assertTrue(r.out().contains(good + ": OK, 5 cases checked"), r.out());
    assertTrue(r.out().contains("phantom_000") && r.out().contains("0,1,2,3"), r.out());
  }

  @Test
  void labeledBudgetLargerThanAvailable() {
    CliRun r = fails("finetune", "--data", good.toString(), "--labeled", "50", "--out", root.resolve("b.medssl").toString());
    assertTrue(r.err().contains("--labeled 50 is larger than"), r.err());
  }

  @Test
  void labeledBudgetZero() {
    CliRun r = fails("finetune", "--data", good.toString(), "--labeled", "0", "--out", root.resolve("z.medssl").toString());
    assertTrue(r.err().contains("--labeled"), r.err());
  }

  @Test
  void divergingTrainingStopsWithItsStep() {
    CliRun r = fails("finetune", "--data", good.toString(), "--labeled", "1", "--out", root.resolve("d.medssl").toString(),
        "--steps", "6", "--batch", "1", "--channels", "2,4", "--validation", "1", "--precision", "fp32", "--lr", "1e7");
    assertTrue(r.err().contains("training diverged at step"), r.err());
    assertFalse(Files.exists(root.resolve("d.medssl")), "no model file from a diverged run");
  }

  // ---- model files (predict / evaluate) ----

  @Test
  void truncatedModelFile() throws IOException {
    Path m = root.resolve("cut.medssl");
    byte[] all = Files.readAllBytes(model);
    Files.write(m, Arrays.copyOf(all, all.length - 200));
    predictFails(m, "not a complete medssl model file");
  }

  @Test
  void notAModelFile() throws IOException {
    Path m = root.resolve("text.medssl");
    Files.writeString(m, "hello");
    predictFails(m, "not a medssl model file");
  }

  @Test
  void modelFromAnIncompatibleVersion() throws IOException {
    Path m = root.resolve("future.medssl");
    Files.write(m, ModelFiles.withMetadata(model, "\"formatVersion\" : 1", "\"formatVersion\" : 99"));
    predictFails(m, "model format version 99 is not supported");
  }

  @Test
  void modelWhoseArchitectureLies() throws IOException {
    Path m = root.resolve("lying.medssl");
    Files.write(m, ModelFiles.withMetadata(model, "\"channels\" : [ 2, 4 ]", "\"channels\" : [ 2000, 2000 ]"));
    predictFails(m, "inconsistent model file");
  }

  @Test
  void pretrainedModelGivenToPredict() {
    predictFails(pretrained, "not a segmentation model (fine-tune it first)");
  }

  @Test
  void missingModelFile() {
    predictFails(root.resolve("absent.medssl"), "model file does not exist");
  }

  @Test
  void evaluateWithABrokenModel() throws IOException {
    Path m = root.resolve("cut2.medssl");
    Files.write(m, Arrays.copyOf(Files.readAllBytes(model), 100));
    CliRun r = fails("evaluate", "--model", m.toString(), "--data", good.toString(), "--out", root.resolve("e.csv").toString());
    assertTrue(r.err().contains(m.toString()), r.err());
  }

  // ---- configs and flags ----

  @Test
  void malformedStudyYaml() throws IOException {
    Path c = root.resolve("bad.yaml");
    Files.writeString(c, "name: x\ninits: [random\n");
    CliRun r = fails("study", "--config", c.toString(), "--out", root.resolve("study").toString());
    assertTrue(r.err().contains(c.toString()), r.err());
  }

  @Test
  void unknownStudyKey() throws IOException {
    Path c = root.resolve("typo.yaml");
    Files.writeString(c, "name: x\ndataset: {path: good}\nlabelled: [1]\n");
    CliRun r = fails("study", "--config", c.toString(), "--out", root.resolve("study2").toString());
    assertTrue(r.err().contains("labelled"), r.err());
  }

  @Test
  void unknownPretextMethod() {
    CliRun r = fails("pretrain", "--method", "simclr2", "--data", good.toString(), "--out", root.resolve("p.medssl").toString());
    assertTrue(r.err().contains("simclr2"), r.err());
  }

  // ---- what was already written survives a failing run ----

  @Test
  void aFailingPredictLeavesTheExistingOutputUntouched() throws IOException {
    Path output = root.resolve("mask.nii.gz");
    ok("predict", "--model", model.toString(), "--input", image(0).toString(), "--output", output.toString());
    byte[] before = Files.readAllBytes(output);
    Path bad = nifti("bad-input.nii", b -> b.putInt(0, 1));
    CliRun r = fails("predict", "--model", model.toString(), "--input", bad.toString(), "--output", output.toString());
    assertTrue(r.err().contains(bad.toString()), r.err());
    assertArrayEquals(before, Files.readAllBytes(output));
  }

  @Test
  void aFailingFinetuneLeavesTheExistingModelUntouched() throws IOException {
    Path out = root.resolve("keep.medssl");
    Files.copy(model, out);
    byte[] before = Files.readAllBytes(out);
    Path d = copyOfGood("keep");
    Files.writeString(d.resolve("dataset.json"), "{");
    fails("finetune", "--data", d.toString(), "--labeled", "1", "--out", out.toString());
    assertArrayEquals(before, Files.readAllBytes(out));
  }

  @Test
  void nonFiniteVoxelsAreHandledByPolicyAndReported() throws IOException {
    Path f = nifti("nan.nii", b -> {
      for (int i = 0; i < 5; i++) {
        b.putFloat(voxOffset(b) + 4 * (1000 + i), Float.NaN);
      }
      b.putFloat(voxOffset(b) + 4 * 2000, Float.POSITIVE_INFINITY);
    });
    CliRun inspect = ok("inspect", f.toString());
    assertTrue(inspect.out().contains("NaN 5, infinite 1"), inspect.out());
    CliRun predict = ok("predict", "--model", model.toString(), "--input", f.toString(), "--output",
        root.resolve("nan-mask.nii.gz").toString());
    assertTrue(predict.out().contains("6 non-finite voxels"), predict.out());
  }

  // ---- helpers ----

  private static void inspectFails(Path file, String problem) {
    assertNames(fails("inspect", file.toString()), file, problem);
  }

  /** finetune and data check both stop with the same file and problem; nothing is written. */
  private static void finetuneFails(Path data, Path file, String problem) {
    assertNames(fails("finetune", "--data", data.toString(), "--labeled", "1", "--out",
        root.resolve("never.medssl").toString(), "--steps", "1", "--channels", "2,4", "--validation", "1"), file, problem);
    assertFalse(Files.exists(root.resolve("never.medssl")));
    assertNames(fails("data", "check", "--data", data.toString()), file, problem);
  }

  private static void predictFails(Path modelFile, String problem) {
    assertNames(fails("predict", "--model", modelFile.toString(), "--input", image(0).toString(), "--output",
        root.resolve("never.nii.gz").toString()), modelFile, problem);
    assertFalse(Files.exists(root.resolve("never.nii.gz")));
  }

  /** The error line names the file and says the problem. */
  private static void assertNames(CliRun r, Path file, String problem) {
    assertTrue(r.err().contains(file.toString()) && r.err().contains(problem), "expected '" + file + "' and '" + problem
        + "' in: " + r.err());
  }

  /**
   * Runs a command that must fail as a user error: exit 2 and one error line (after a progress bar
   * if training had started, on a line of its own), no stack trace.
   */
  private static CliRun fails(String... args) {
    CliRun r = Assertions.assertTimeoutPreemptively(QUICK, () -> CliRun.of(args));
    assertEquals(Main.USER_ERROR, r.code(), "exit code of " + String.join(" ", args) + "\n" + r.err() + r.out());
    String err = r.err();
    int at = err.indexOf("medssl: error: ");
    assertTrue(at == 0 || at > 0 && err.charAt(at - 1) == '\n', "the error starts a line:\n" + err);
    assertEquals(at, err.lastIndexOf("medssl: error: "), "one error:\n" + err);
    assertEquals(err.length() - 1, err.indexOf('\n', at), "the error is one line and the last:\n" + err);
    assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace:\n" + err);
    return r;
  }

  static CliRun ok(String... args) {
    CliRun r = CliRun.of(args);
    assertEquals(0, r.code(), r.err());
    return r;
  }

  private static Path image(int i) {
    return good.resolve(String.format("imagesTr/phantom_%03d.nii.gz", i));
  }

  /** The first training image, unzipped, mutated at the byte level and written as a plain .nii. */
  private static Path nifti(String name, Consumer<ByteBuffer> mutation) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(ModelFiles.gunzip(Files.readAllBytes(image(0)))).order(ByteOrder.LITTLE_ENDIAN);
    mutation.accept(b);
    Path f = root.resolve(name);
    Files.write(f, b.array());
    return f;
  }

  /** Mutates a .nii.gz in place; keeps the first {@code keep} fraction of its voxel bytes. */
  private static void rewriteGz(Path f, Consumer<ByteBuffer> mutation, double keep) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(ModelFiles.gunzip(Files.readAllBytes(f))).order(ByteOrder.LITTLE_ENDIAN);
    int offset = voxOffset(b);
    mutation.accept(b);
    int length = offset + (int) Math.round((b.capacity() - offset) * keep);
    Files.write(f, ModelFiles.gzip(Arrays.copyOf(b.array(), length)));
  }

  private static int voxOffset(ByteBuffer b) {
    return (int) b.getFloat(108);
  }

  private static Path copyOfGood(String name) throws IOException {
    Path target = root.resolve(name);
    try (Stream<Path> files = Files.walk(good)) {
      for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
        Path t = target.resolve(good.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return target;
  }
}
