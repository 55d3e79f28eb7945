package org.medssl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.image.Grid;
import org.medssl.image.Volume;
import org.medssl.io.model.ModelFile;
import org.medssl.io.nifti.NiftiDataType;
import org.medssl.io.nifti.NiftiWriter;
import org.medssl.io.nifti.NiftiImage;
import org.medssl.io.nifti.NiftiReader;
import org.medssl.testkit.CliRun;
import org.medssl.testkit.DatasetFixtures;

/** Fine-tuning, evaluation, prediction and pretraining through the CLI on the non-phantom layouts. */
class LayoutsCliTest {
  @TempDir
  static Path dir;

  private static final String[] TINY = {"--steps", "2", "--batch", "2", "--channels", "2,4", "--precision", "fp32"};

  static CliRun run(String... args) {
    return CliRun.of(args);
  }

  static String[] tiny(String... args) {
    String[] out = java.util.Arrays.copyOf(args, args.length + TINY.length);
    System.arraycopy(TINY, 0, out, args.length, TINY.length);
    return out;
  }

  @Test
  void acdcFineTunesOnWholePatientsEvaluatesAndPretrainsOnTheCine() throws Exception {
    Path data = DatasetFixtures.acdc(dir.resolve("acdc"), 3, 1);
    Path model = dir.resolve("acdc.medssl");
    CliRun ft = run(tiny("finetune", "--data", data.toString(), "--labeled", "1", "--validation", "1", "--out",
        model.toString()));
    assertEquals(0, ft.code(), ft.err());
    assertTrue(ft.out().matches("(?s).*training on 1 labeled subject\\(s\\) \\[patient00\\d] \\(2 labeled scans\\),"
        + " validating on 1 \\[patient00\\d].*"), ft.out());

    Path csv = dir.resolve("acdc.csv");
    CliRun ev = run("evaluate", "--model", model.toString(), "--data", data.toString(), "--out", csv.toString(),
        "--precision", "fp32");
    assertEquals(0, ev.code(), ev.err());
    List<String> lines = Files.readAllLines(csv);
    assertEquals(1 + 2 * 3, lines.size(), "two test frames x RV, myocardium, LV");
    assertTrue(lines.get(1).startsWith("patient004_frame01,RV,1,"), lines.get(1));

    // The cine is 4D; a single-channel model needs to be told which frame to segment.
    Path cine = data.resolve("testing/patient004/patient004_4d.nii.gz");
    CliRun noFrame = run("predict", "--model", model.toString(), "--input", cine.toString(), "--output",
        dir.resolve("never.nii.gz").toString());
    assertEquals(Main.USER_ERROR, noFrame.code());
    assertTrue(noFrame.err().contains(cine + ": 4D image 16x16x4x5 but the model was trained on single-channel"),
        noFrame.err());
    Path mask = dir.resolve("frame3.nii.gz");
    CliRun frame = run("predict", "--model", model.toString(), "--input", cine.toString(), "--output",
        mask.toString(), "--channel", "2");
    assertEquals(0, frame.code(), frame.err());
    assertEquals(1, NiftiReader.read(mask).frames());

    CliRun pre = run(tiny("pretrain", "--method", "denoise", "--data", data.toString(), "--out",
        dir.resolve("acdc-pre.medssl").toString()));
    assertEquals(0, pre.code(), pre.err());
    assertTrue(pre.out().contains("on 15 images (6 training + 9 unlabeled; test subjects excluded)"), pre.out());

    // A pool beyond its heap budget is memory-mapped from a spill file: the same images, the same run.
    CliRun spilled = run(tiny("pretrain", "--method", "denoise", "--data", data.toString(), "--pool-memory", "0",
        "--out", dir.resolve("acdc-pre-spilled.medssl").toString()));
    assertEquals(0, spilled.code(), spilled.err());
    assertTrue(spilled.out().contains("pretraining pool: 15 volumes, 0.0 GiB in the heap"), spilled.out());
    assertEquals(finalLoss(pre.out()), finalLoss(spilled.out()));
  }

  private static String finalLoss(String out) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("final loss (\\S+);").matcher(out);
    assertTrue(m.find(), out);
    return m.group(1);
  }

  @Test
  void multiChannelMsdTrainsOnTheChosenChannelAndPredictReadsTheSame() {
    Path data = DatasetFixtures.msdTwoChannels(dir.resolve("prostate"), 3, 1);
    Path model = dir.resolve("adc.medssl");
    CliRun ft = run(tiny("finetune", "--data", data.toString(), "--channel", "ADC", "--labeled", "1",
        "--validation", "1", "--out", model.toString()));
    assertEquals(0, ft.code(), ft.err());
    assertTrue(ft.out().contains("reading channel 1 (ADC) of the channels 0 T2, 1 ADC"), ft.out());
    JsonNode input = ModelFile.read(model).metadata().path("provenance").path("input");
    assertEquals(1, input.path("channel").asInt());
    assertEquals("ADC", input.path("channelName").asText());

    CliRun ev = run("evaluate", "--model", model.toString(), "--data", data.toString(), "--out",
        dir.resolve("adc.csv").toString(), "--precision", "fp32");
    assertEquals(0, ev.code(), ev.err());
    assertTrue(ev.out().contains("mean foreground Dice"), ev.out());
    assertTrue(ev.out().contains("reading channel 1 (ADC)"), "evaluate reads the channel the model was trained on");

    Path input4d = data.resolve("imagesTs/prostate_03.nii.gz");
    Path mask = dir.resolve("adc-mask.nii.gz");
    CliRun p = run("predict", "--model", model.toString(), "--input", input4d.toString(), "--output", mask.toString());
    assertEquals(0, p.code(), p.err());
    assertTrue(p.out().contains("reading channel 1 (ADC) of " + input4d), p.out());
    NiftiImage out = NiftiReader.read(mask);
    assertEquals(1, out.frames());
    assertTrue(out.grid().sameGeometry(NiftiReader.read(input4d).grid()));

    CliRun bad = run(tiny("finetune", "--data", data.toString(), "--channel", "FLAIR", "--labeled", "1", "--out",
        dir.resolve("never.medssl").toString()));
    assertEquals(Main.USER_ERROR, bad.code());
    assertEquals(1, bad.err().strip().lines().count(), bad.err());
    assertTrue(bad.err().contains(data + ": has no channel 'FLAIR'; its channels are 0 T2, 1 ADC"), bad.err());
  }

  @Test
  void nnUNetV2ChannelFilesTrainOnTheChosenChannel() {
    Path data = DatasetFixtures.nnUNetTwoChannels(dir.resolve("nnunet-prostate"), 3, 1);
    CliRun check = run("data", "check", "--data", data.toString(), "--channel", "ADC");
    assertEquals(0, check.code(), check.out() + check.err());
    Path model = dir.resolve("nnunet-adc.medssl");
    CliRun ft = run(tiny("finetune", "--data", data.toString(), "--channel", "ADC", "--labeled", "1",
        "--validation", "1", "--out", model.toString()));
    assertEquals(0, ft.code(), ft.err());
    assertTrue(ft.out().contains("reading channel 1 (ADC) of the channels 0 T2, 1 ADC"), ft.out());
    assertEquals("ADC", ModelFile.read(model).metadata().path("provenance").path("input").path("channelName").asText());

    CliRun ev = run("evaluate", "--model", model.toString(), "--data", data.toString(), "--out",
        dir.resolve("nnunet-adc.csv").toString(), "--precision", "fp32");
    assertEquals(0, ev.code(), ev.err());
    assertTrue(ev.out().contains("reading channel 1 (ADC)"), ev.out());

    Path adcFile = data.resolve("imagesTs/prostate_03_0001.nii.gz");
    CliRun p = run("predict", "--model", model.toString(), "--input", adcFile.toString(), "--channel", "ADC",
        "--output", dir.resolve("nnunet-mask.nii.gz").toString());
    assertEquals(0, p.code(), p.err());
    assertTrue(p.out().contains(adcFile + " is 3D; taking it as channel 1"), p.out());

    CliRun pre = run(tiny("pretrain", "--method", "denoise", "--data", data.toString(), "--channel", "ADC", "--out",
        dir.resolve("nnunet-pre.medssl").toString()));
    assertEquals(0, pre.code(), pre.err());
    assertTrue(pre.out().contains("on 4 images (3 training + 1 unlabeled; test subjects excluded)"), pre.out());
  }

  @Test
  void nnUNetV2TwoChannelDatasetTrainsOnAllChannelsAndEvaluateAndPredictReadThemToo() {
    Path data = DatasetFixtures.nnUNetTwoChannels(dir.resolve("nnunet-all"), 3, 1);
    Path pretrained = dir.resolve("nnunet-t2-pre.medssl"); // pretrained on one channel, T2
    CliRun pre = run(tiny("pretrain", "--method", "denoise", "--data", data.toString(), "--out", pretrained.toString()));
    assertEquals(0, pre.code(), pre.err());

    CliRun check = run("data", "check", "--data", data.toString(), "--channel", "all");
    assertEquals(0, check.code(), check.out() + check.err());
    assertTrue(check.out().contains("prostate_00 [T2]") && check.out().contains("prostate_00 [ADC]"), check.out());

    Path model = dir.resolve("nnunet-all.medssl");
    CliRun ft = run(tiny("finetune", "--data", data.toString(), "--channel", "all", "--labeled", "2",
        "--validation", "1", "--init", pretrained.toString(), "--out", model.toString()));
    assertEquals(0, ft.code(), ft.err());
    assertTrue(ft.out().contains("reading all 2 channels as network input: 0 T2, 1 ADC"), ft.out());
    assertTrue(ft.out().contains("pretrained on 1 input channel, repeated over 2 and divided by 2"), ft.out());
    JsonNode meta = ModelFile.read(model).metadata();
    assertEquals(2, meta.path("architecture").path("inChannels").asInt(), meta.toString());
    assertTrue(meta.path("provenance").path("input").path("all").asBoolean(), meta.toString());

    CliRun ev = run("evaluate", "--model", model.toString(), "--data", data.toString(), "--out",
        dir.resolve("nnunet-all.csv").toString(), "--precision", "fp32");
    assertEquals(0, ev.code(), ev.err());
    assertTrue(ev.out().contains("reading all 2 channels") && ev.out().contains("mean foreground Dice"), ev.out());

    Path t2 = data.resolve("imagesTs/prostate_03_0000.nii.gz");
    Path mask = dir.resolve("nnunet-all-mask.nii.gz");
    CliRun p = run("predict", "--model", model.toString(), "--input", t2.toString(), "--output", mask.toString());
    assertEquals(0, p.code(), p.err());
    assertTrue(p.out().contains("reading channels prostate_03_0000.nii.gz .. prostate_03_0001.nii.gz"), p.out());
    assertTrue(java.nio.file.Files.isRegularFile(mask));

    CliRun one = run("predict", "--model", model.toString(), "--input", t2.toString(), "--channel", "0", "--output",
        dir.resolve("never.nii.gz").toString());
    assertEquals(Main.USER_ERROR, one.code());
    assertEquals("medssl: error: --channel 0: the model reads all 2 channels of a scan (trained with --channel all);"
        + " leave --channel out", one.err().strip());
    CliRun pretrainAll = run(tiny("pretrain", "--method", "denoise", "--data", data.toString(), "--channel", "all",
        "--out", dir.resolve("never.medssl").toString()));
    assertEquals(Main.USER_ERROR, pretrainAll.code());
    assertTrue(pretrainAll.err().contains("pretraining reads one channel"), pretrainAll.err());
  }

  @Test
  void aChannelFileOnAnotherGridStopsCheckAndTrainingOnAllChannels() {
    Path data = DatasetFixtures.nnUNetTwoChannels(dir.resolve("nnunet-mismatch"), 3, 1);
    Path adc = data.resolve("imagesTr/extra_0001.nii.gz"); // the unlabeled case: no label grid to disagree with
    NiftiWriter.write(adc, new Volume(Grid.of(5, 4, 3, 1, 1, 1), new float[60]), null, NiftiDataType.FLOAT32);
    CliRun check = run("data", "check", "--data", data.toString(), "--channel", "all", "--headers-only");
    assertEquals(Main.USER_ERROR, check.code(), check.out());
    assertTrue(check.err().contains(adc + ": channel ADC is 5x4x3"), check.err());
    assertEquals(0, run("data", "check", "--data", data.toString(), "--channel", "T2").code(), "channel 0 alone is fine");
    CliRun ft = run(tiny("finetune", "--data", data.toString(), "--channel", "all", "--labeled", "1", "--out",
        dir.resolve("never.medssl").toString()));
    assertEquals(Main.USER_ERROR, ft.code(), ft.out());
    assertTrue(ft.err().contains(adc + ": channel ADC is 5x4x3"), ft.err());
    assertTrue(!Files.exists(dir.resolve("never.medssl")));
  }

  @Test
  void msdFourDimensionalChannelsTrainIn3dOnAllChannelsAndPredictReadsTheFourDimensionalFile() {
    Path data = DatasetFixtures.msdTwoChannels(dir.resolve("prostate-all"), 3, 1);
    Path model = dir.resolve("msd-all-3d.medssl");
    CliRun ft = run(tiny("finetune", "--data", data.toString(), "--channel", "all", "--dims", "3", "--patch",
        "4,8,8", "--labeled", "1", "--validation", "1", "--out", model.toString()));
    assertEquals(0, ft.code(), ft.err());
    assertEquals(2, ModelFile.read(model).metadata().path("architecture").path("inChannels").asInt());
    Path mask = dir.resolve("msd-all-mask.nii.gz");
    CliRun p = run("predict", "--model", model.toString(), "--input", data.resolve("imagesTs/prostate_03.nii.gz")
        .toString(), "--output", mask.toString());
    assertEquals(0, p.code(), p.err());
    assertTrue(java.nio.file.Files.isRegularFile(mask));
    CliRun threeD = run("predict", "--model", model.toString(), "--input", data.resolve("labelsTs/prostate_03.nii.gz")
        .toString(), "--output", dir.resolve("never.nii.gz").toString());
    assertEquals(Main.USER_ERROR, threeD.code());
    assertTrue(threeD.err().contains("3D image, but the model reads 2 channels"), threeD.err());
  }

  @Test
  void folderPairsPretrainOnTheirLabeledAndUnlabeledImages() {
    Path data = DatasetFixtures.folderPairs(dir.resolve("pairs"), 3);
    CliRun pre = run(tiny("pretrain", "--method", "denoise", "--data", data.toString(), "--out",
        dir.resolve("pairs-pre.medssl").toString()));
    assertEquals(0, pre.code(), pre.err());
    assertTrue(pre.out().contains("on 4 images (3 training + 1 unlabeled; test subjects excluded)"), pre.out());
  }

  @Test
  void anImageOnlyFolderPretrainsButCannotFineTune() {
    Path data = DatasetFixtures.imageOnly(dir.resolve("pool"), 3);
    CliRun ft = run(tiny("finetune", "--data", data.toString(), "--labeled", "1", "--out",
        dir.resolve("never.medssl").toString()));
    assertEquals(Main.USER_ERROR, ft.code());
    assertTrue(ft.err().contains(data + ": image-only folder with 3 unlabeled image(s) and no labeled training cases;"
        + " finetune needs labels"), ft.err());
    CliRun pre = run(tiny("pretrain", "--method", "denoise", "--data", data.toString(), "--out",
        dir.resolve("pool.medssl").toString()));
    assertEquals(0, pre.code(), pre.err());
    assertTrue(pre.out().contains("on 3 images (0 training + 3 unlabeled"), pre.out());
  }
}
