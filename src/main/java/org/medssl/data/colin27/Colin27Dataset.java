package org.medssl.data.colin27;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.medssl.MedsslException;
import org.medssl.data.Preprocessing;
import org.medssl.image.Intensity;
import org.medssl.image.LabelMap;
import org.medssl.image.Slab;
import org.medssl.image.Volume;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.io.nifti.NiftiDataType;
import org.medssl.io.nifti.NiftiImage;
import org.medssl.io.nifti.NiftiReader;
import org.medssl.io.nifti.NiftiWriter;
import org.medssl.io.dataset.SplitsFile;

/**
 * Real MRI that installs anywhere Debian does: the Colin27 single-subject T1 ({@code ch2.nii.gz})
 * with labels from the AAL atlas on the same grid, merged into {@link AalClasses}, written as an
 * MSD dataset.
 *
 * <p>One subject cannot be split by subject, so it is split by slab along the axial axis: two
 * contiguous test slabs ({@code imagesTs}, one inferior through the cerebellum, one through the
 * deep grey nuclei) and a validation slab (one training case, named as the validation subject in
 * {@code splits_final.json}) where all three classes are present, so that model selection sees
 * every class. Each slab is separated from the training slices by a gap of {@value #GAP} slices
 * that no split uses (neighbouring slices are nearly copies of each other). Every remaining axial
 * slice where the labels cover at least 5 % of the slice is one training case of one slice
 * ({@code imagesTr/colin27_zNNN}), so the labeled budget of {@code finetune --labeled N} and of
 * studies counts slices (a slice at the very top or bottom of the brain, a few labeled pixels, is
 * not what anyone would choose to annotate); the other slices go to the unlabeled pool for
 * pretraining.
 *
 * <p>Intensities are normalised once for the whole volume (MR clip to the 0.5-99.5 percentiles,
 * z-score) and written as float32 with the channel named {@code noNorm}, so training slices, test
 * and validation slabs share one intensity scale; per-file statistics would z-score a single slice
 * and a nine-slice slab differently.
 */
public final class Colin27Dataset {
  static final int GAP = 4;
  /** A slice is a labeled training case when the atlas covers at least this fraction of it. */
  static final double MIN_LABELED_FRACTION = 0.05;
  /**
   * Test slabs as fractions of the labeled axial extent: [start, end). Thin (9 slices), so that
   * every class also has training slices above or below them.
   */
  static final double[][] TEST_SLABS = {{0.16, 0.22}, {0.48, 0.54}};
  /** Slices in the validation slab: few, because every one comes from where all three classes meet. */
  static final int VALIDATION_SLICES = 5;
  /** The MR normalisation applied to the whole volume before it is cut. */
  static final double[] CLIP_PERCENTILES = {0.5, 99.5};

  private Colin27Dataset() {}

  /** What was written. */
  /** What was written; {@code trainingLabelCounts}: voxels of each class in the training slices. */
  public record Summary(int trainingSlices, int unlabeledSlices, List<int[]> testSlabs, int[] validationSlab,
      int[] trainingLabelCounts) {}

  public static Summary write(Path t1, Path atlas, Path atlasTable, Path out) {
    for (Path p : List.of(t1, atlas, atlasTable)) {
      if (!Files.isRegularFile(p)) {
        throw new MedsslException(p + ": not found (expected Colin27 from Debian's mricron-data)");
      }
    }
    NiftiImage image = NiftiReader.read(t1);
    Volume volume = Intensity.clipZScore(image.volume(), CLIP_PERCENTILES[0], CLIP_PERCENTILES[1]);
    LabelMap labels = coarse(NiftiReader.read(atlas).labels(), AalClasses.read(atlasTable), atlas);
    if (!labels.grid().sameGeometry(volume.grid())) {
      throw new MedsslException(atlas + ": grid " + labels.grid().shapeString() + " differs from " + t1 + " ("
          + volume.grid().shapeString() + "); expected the mricron-data pair on one grid");
    }
    int[] extent = labeledExtent(labels);
    List<int[]> test = new ArrayList<>();
    for (double[] f : TEST_SLABS) {
      test.add(slab(extent, f));
    }
    int[] validation = validationSlab(labels, test, atlas);
    List<int[]> heldOut = new ArrayList<>(test);
    heldOut.add(validation);
    int[][] perSlice = classCountsPerSlice(labels);
    int[] trainingCounts = new int[AalClasses.LABEL_NAMES.size()];
    List<DatasetSpec.Case> training = new ArrayList<>();
    List<DatasetSpec.Case> unlabeled = new ArrayList<>();
    for (int z = 0; z < volume.grid().nz(); z++) {
      if (near(z, heldOut)) {
        continue;
      }
      String id = String.format("colin27_z%03d", z);
      boolean labeled = labeledFraction(labels, z) >= MIN_LABELED_FRACTION;
      Path img = out.resolve(labeled ? "imagesTr" : "imagesUl").resolve(id + ".nii.gz");
      NiftiWriter.write(img, Slab.of(volume, z, z + 1), image.header(), NiftiDataType.FLOAT32);
      if (labeled) {
        Path lab = out.resolve("labelsTr").resolve(id + ".nii.gz");
        NiftiWriter.writeLabels(lab, Slab.of(labels, z, z + 1), null);
        training.add(new DatasetSpec.Case(id, img, lab));
        for (int c = 0; c < trainingCounts.length; c++) {
          trainingCounts[c] += perSlice[z][c];
        }
      } else {
        unlabeled.add(new DatasetSpec.Case(id, img, null));
      }
    }
    String valId = String.format("colin27_validation_z%03d-%03d", validation[0], validation[1] - 1);
    training.add(writeSlab(volume, labels, image, validation, out.resolve("imagesTr"), out.resolve("labelsTr"), valId));
    List<DatasetSpec.Case> tests = new ArrayList<>();
    for (int[] s : test) {
      String id = String.format("colin27_slab_z%03d-%03d", s[0], s[1] - 1);
      tests.add(writeSlab(volume, labels, image, s, out.resolve("imagesTs"), out.resolve("labelsTs"), id));
    }
    // The validation slab is the fixed validation subject (nnU-Net's splits file), never a labeled budget.
    SplitsFile.write(out, training.stream().map(DatasetSpec.Case::id).filter(id -> !id.equals(valId)).toList(),
        List.of(valId));
    new DatasetSpec(out, "colin27", "Colin27 single-subject T1 (Holmes 1998) from Debian's mricron-data, labels from"
        + " the AAL atlas merged into cerebral cortex / deep grey nuclei / cerebellum; split by axial slab: test slabs "
        + describe(test) + ", validation slab " + describe(List.of(validation)) + " (splits_final.json), all with " + GAP
        + "-slice gaps; one training case per remaining axial slice at least 5% labeled; T1 intensities clipped to"
        + " the whole volume's 0.5-99.5 percentiles and z-scored once before slicing (channel noNorm)",
        List.of(Preprocessing.NO_NORM_CHANNEL), AalClasses.LABEL_NAMES, training, tests, unlabeled).write();
    return new Summary(training.size() - 1, unlabeled.size(), test, validation, trainingCounts);
  }

  private static LabelMap coarse(LabelMap aal, Map<Integer, Integer> classes, Path atlas) {
    int[] out = new int[aal.labels().length];
    for (int i = 0; i < out.length; i++) {
      int v = aal.labels()[i];
      if (v != 0) {
        Integer c = classes.get(v);
        if (c == null) {
          throw new MedsslException(atlas + ": region value " + v + " is not in the AAL table");
        }
        out[i] = c;
      }
    }
    return new LabelMap(aal.grid(), out);
  }

  private static int[] labeledExtent(LabelMap l) {
    int lo = -1;
    int hi = -1;
    for (int z = 0; z < l.grid().nz(); z++) {
      if (hasLabels(l, z)) {
        lo = lo < 0 ? z : lo;
        hi = z;
      }
    }
    if (lo < 0) {
      throw new MedsslException("the atlas has no labels");
    }
    return new int[] {lo, hi};
  }

  static boolean hasLabels(LabelMap l, int z) {
    return labeledFraction(l, z) > 0;
  }

  static double labeledFraction(LabelMap l, int z) {
    int plane = l.grid().nx() * l.grid().ny();
    int n = 0;
    for (int i = z * plane; i < (z + 1) * plane; i++) {
      if (l.labels()[i] != 0) {
        n++;
      }
    }
    return n / (double) plane;
  }

  /**
   * The {@value #VALIDATION_SLICES}-slice slab, clear of the test slabs and their gaps, whose
   * rarest class has the most voxels: every class is present, none only at its edge.
   */
  static int[] validationSlab(LabelMap labels, List<int[]> test, Path atlas) {
    int[][] perSlice = classCountsPerSlice(labels);
    int[] best = null;
    long bestRarest = 0;
    for (int from = 0; from + VALIDATION_SLICES <= perSlice.length; from++) {
      int to = from + VALIDATION_SLICES;
      if (near(from, to, test)) {
        continue;
      }
      long rarest = Long.MAX_VALUE;
      for (int c = 1; c < AalClasses.LABEL_NAMES.size(); c++) {
        long n = 0;
        for (int z = from; z < to; z++) {
          n += perSlice[z][c];
        }
        rarest = Math.min(rarest, n);
      }
      if (rarest > bestRarest) {
        bestRarest = rarest;
        best = new int[] {from, to};
      }
    }
    if (best == null) {
      throw new MedsslException(atlas + ": no " + VALIDATION_SLICES + " axial slices outside the test slabs hold all"
          + " three classes; expected the AAL atlas of mricron-data");
    }
    return best;
  }

  private static int[][] classCountsPerSlice(LabelMap l) {
    int plane = l.grid().nx() * l.grid().ny();
    int[][] counts = new int[l.grid().nz()][AalClasses.LABEL_NAMES.size()];
    for (int i = 0; i < l.labels().length; i++) {
      counts[i / plane][l.labels()[i]]++;
    }
    return counts;
  }

  private static boolean near(int z, List<int[]> slabs) {
    return near(z, z + 1, slabs);
  }

  /** Whether slices [from, to) come within {@value #GAP} slices of any of the slabs. */
  private static boolean near(int from, int to, List<int[]> slabs) {
    return slabs.stream().anyMatch(s -> from < s[1] + GAP && to > s[0] - GAP);
  }

  private static int[] slab(int[] extent, double[] fraction) {
    int span = extent[1] - extent[0] + 1;
    return new int[] {extent[0] + (int) Math.round(fraction[0] * span), extent[0] + (int) Math.round(fraction[1] * span)};
  }

  private static DatasetSpec.Case writeSlab(Volume volume, LabelMap labels, NiftiImage image, int[] s, Path images,
      Path labelDir, String id) {
    Path img = images.resolve(id + ".nii.gz");
    Path lab = labelDir.resolve(id + ".nii.gz");
    NiftiWriter.write(img, Slab.of(volume, s[0], s[1]), image.header(), NiftiDataType.FLOAT32);
    NiftiWriter.writeLabels(lab, Slab.of(labels, s[0], s[1]), null);
    return new DatasetSpec.Case(id, img, lab);
  }

  private static String describe(List<int[]> slabs) {
    return slabs.stream().map(s -> "z " + s[0] + "-" + (s[1] - 1)).reduce((a, b) -> a + " and " + b).orElse("");
  }
}
