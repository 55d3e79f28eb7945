package org.medssl.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.medssl.image.Grid;
import org.medssl.image.LabelMap;
import org.medssl.image.Volume;
import org.medssl.io.nifti.NiftiDataType;
import org.medssl.io.nifti.NiftiWriter;

/**
 * Tiny datasets in each layout medssl reads, written with {@link NiftiWriter} (no committed
 * binaries). Volumes are 16 x 16 x 4 (big enough for a 2-level U-Net): a noisy background with a
 * bright square whose size and place vary per subject and frame, labelled 1..K in rings.
 */
public final class DatasetFixtures {
  public static final int NX = 16;
  public static final int NY = 16;
  public static final int NZ = 4;
  /** Frames of each ACDC cine; frames 1 and 3 (ED, ES) are the labeled ones. */
  public static final int CINE_FRAMES = 5;
  public static final List<Integer> ACDC_LABELED_FRAMES = List.of(1, 3);

  private DatasetFixtures() {}

  /** One synthetic scan and its labels (0..classes-1). */
  public record Scan(Volume image, LabelMap labels) {}

  public static Grid grid() {
    return Grid.of(NX, NY, NZ, 1.5, 1.5, 5);
  }

  /** A scan whose square has half-width 3..5 voxels by {@code seed}, with {@code classes - 1} nested rings. */
  public static Scan scan(long seed, int classes) {
    SplittableRandom rng = new SplittableRandom(seed);
    Grid g = grid();
    int half = 3 + rng.nextInt(3);
    int cx = 6 + rng.nextInt(4);
    int cy = 6 + rng.nextInt(4);
    float[] v = new float[g.size()];
    int[] l = new int[g.size()];
    for (int z = 0; z < NZ; z++) {
      for (int y = 0; y < NY; y++) {
        for (int x = 0; x < NX; x++) {
          int d = Math.max(Math.abs(x - cx), Math.abs(y - cy));
          int label = d > half ? 0 : Math.min(classes - 1, 1 + (half - d) * (classes - 1) / (half + 1));
          int i = g.index(x, y, z);
          l[i] = label;
          v[i] = (float) (100 + 80 * label + 10 * rng.nextGaussian());
        }
      }
    }
    return new Scan(new Volume(g, v), new LabelMap(g, l));
  }

  /** The same scan with intensities inverted: a second MR contrast (ADC beside T2). */
  public static Volume otherContrast(Volume image) {
    float[] v = image.voxels().clone();
    for (int i = 0; i < v.length; i++) {
      v[i] = 500 - v[i];
    }
    return new Volume(image.grid(), v);
  }

  /**
   * MSD Prostate-like: 4D images whose 4th dimension holds the channels T2 and ADC,
   * {@code "modality": {"0": "T2", "1": "ADC"}}, 3D labels 0 background, 1 gland.
   */
  public static Path msdTwoChannels(Path dir, int training, int test) {
    StringBuilder tr = new StringBuilder();
    StringBuilder ts = new StringBuilder();
    for (int k = 0; k < training + test; k++) {
      String id = String.format("prostate_%02d", k);
      boolean isTest = k >= training;
      Scan s = scan(1000 + k, 2);
      Path image = dir.resolve((isTest ? "imagesTs/" : "imagesTr/") + id + ".nii.gz");
      Path label = dir.resolve((isTest ? "labelsTs/" : "labelsTr/") + id + ".nii.gz");
      NiftiWriter.writeFrames(image, List.of(s.image(), otherContrast(s.image())), null, NiftiDataType.FLOAT32);
      NiftiWriter.writeLabels(label, s.labels(), null);
      StringBuilder list = isTest ? ts : tr;
      list.append(list.length() == 0 ? "" : ",\n    ").append("{\"image\": \"./").append(dir.relativize(image))
          .append("\", \"label\": \"./").append(dir.relativize(label)).append("\"}");
    }
    write(dir.resolve("dataset.json"), """
        {
          "name": "Prostate", "description": "fixture",
          "modality": {"0": "T2", "1": "ADC"},
          "labels": {"0": "background", "1": "gland"},
          "numTraining": %d, "numTest": %d,
          "training": [%s],
          "test": [%s]
        }
        """.formatted(training, test, tr, ts));
    return dir;
  }

  /**
   * nnU-Net v2 Prostate-like: no case list, {@code imagesTr/prostate_NN_0000.nii.gz} (T2) and
   * {@code _0001} (ADC) per case, labels in {@code labelsTr/prostate_NN.nii.gz}, test cases in
   * {@code imagesTs/} + {@code labelsTs/}, and one unlabeled case {@code extra} in {@code imagesTr/}.
   */
  public static Path nnUNetTwoChannels(Path dir, int training, int test) {
    for (int k = 0; k < training + test; k++) {
      String id = String.format("prostate_%02d", k);
      String split = k >= training ? "Ts/" : "Tr/";
      Scan s = scan(1000 + k, 2);
      NiftiWriter.write(dir.resolve("images" + split + id + "_0000.nii.gz"), s.image(), null, NiftiDataType.FLOAT32);
      NiftiWriter.write(dir.resolve("images" + split + id + "_0001.nii.gz"), otherContrast(s.image()), null,
          NiftiDataType.FLOAT32);
      NiftiWriter.writeLabels(dir.resolve("labels" + split + id + ".nii.gz"), s.labels(), null);
    }
    Scan extra = scan(1999, 2); // in imagesTr without a label: an unannotated scan for pretraining
    NiftiWriter.write(dir.resolve("imagesTr/extra_0000.nii.gz"), extra.image(), null, NiftiDataType.FLOAT32);
    NiftiWriter.write(dir.resolve("imagesTr/extra_0001.nii.gz"), otherContrast(extra.image()), null,
        NiftiDataType.FLOAT32);
    write(dir.resolve("dataset.json"), """
        {
          "channel_names": {"0": "T2", "1": "ADC"},
          "labels": {"background": 0, "gland": 1},
          "numTraining": %d, "file_ending": ".nii.gz"
        }
        """.formatted(training));
    return dir;
  }

  /**
   * ACDC: {@code training/patientNNN/} and {@code testing/patientNNN/}, each with a 5-frame
   * {@code _4d} cine and frames 01 and 03 as separate files with {@code _gt} labels (0..3).
   */
  public static Path acdc(Path dir, int training, int testing) {
    for (int p = 1; p <= training + testing; p++) {
      String id = String.format("patient%03d", p);
      Path folder = dir.resolve(p <= training ? "training" : "testing").resolve(id);
      List<Volume> frames = new ArrayList<>();
      for (int t = 1; t <= CINE_FRAMES; t++) {
        Scan s = acdcFrame(p, t);
        frames.add(s.image());
        if (ACDC_LABELED_FRAMES.contains(t)) {
          String frame = String.format("%s_frame%02d", id, t);
          NiftiWriter.write(folder.resolve(frame + ".nii.gz"), s.image(), null, NiftiDataType.FLOAT32);
          NiftiWriter.writeLabels(folder.resolve(frame + "_gt.nii.gz"), s.labels(), null);
        }
      }
      NiftiWriter.writeFrames(folder.resolve(id + "_4d.nii.gz"), frames, null, NiftiDataType.FLOAT32);
      write(folder.resolve("Info.cfg"), "ED: 1\nES: 3\nGroup: NOR\n");
    }
    return dir;
  }

  /** Frame {@code t} (from 1) of patient {@code p}'s cine. */
  public static Scan acdcFrame(int p, int t) {
    return scan(100L * p + t, 4);
  }

  /**
   * nnU-Net-style folders without dataset.json: {@code imagesTr/case_k_0000.nii.gz} with
   * {@code labelsTr/case_k.nii.gz} (labels 0..2), one more image without a label, and one test pair.
   */
  public static Path folderPairs(Path dir, int labeled) {
    for (int k = 0; k < labeled; k++) {
      Scan s = scan(2000 + k, 3);
      NiftiWriter.write(dir.resolve(String.format("imagesTr/case_%d_0000.nii.gz", k)), s.image(), null,
          NiftiDataType.FLOAT32);
      NiftiWriter.writeLabels(dir.resolve(String.format("labelsTr/case_%d.nii.gz", k)), s.labels(), null);
    }
    NiftiWriter.write(dir.resolve("imagesTr/extra_0000.nii.gz"), scan(2999, 3).image(), null, NiftiDataType.FLOAT32);
    Scan t = scan(3000, 3);
    NiftiWriter.write(dir.resolve("imagesTs/test_0.nii"), t.image(), null, NiftiDataType.FLOAT32);
    NiftiWriter.writeLabels(dir.resolve("labelsTs/test_0.nii"), t.labels(), null);
    return dir;
  }

  /** A folder of {@code count} images and nothing else. */
  public static Path imageOnly(Path dir, int count) {
    for (int k = 0; k < count; k++) {
      NiftiWriter.write(dir.resolve(String.format("scan_%d.nii.gz", k)), scan(4000 + k, 2).image(), null,
          NiftiDataType.FLOAT32);
    }
    return dir;
  }

  public static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
