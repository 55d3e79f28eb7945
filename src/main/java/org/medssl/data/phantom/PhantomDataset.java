package org.medssl.data.phantom;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.medssl.MedsslException;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.io.nifti.NiftiDataType;
import org.medssl.io.nifti.NiftiWriter;

/**
 * Writes a phantom dataset in MSD layout: {@code imagesTr/labelsTr} (two thirds of the labeled
 * subjects), {@code imagesTs/labelsTs} (the rest) and {@code imagesUl} (image-only subjects).
 * Subject k gets seed {@code hash(seed, k)}, so the files depend only on the seed, the counts and
 * the phantom version. Which subjects are labeled is decided by index alone, after generation
 * draws nothing from it: labeled and unlabeled subjects come from one distribution.
 */
public final class PhantomDataset {
  private PhantomDataset() {}

  /** What was written. */
  public record Summary(int training, int test, int unlabeled, List<String> labelNames) {}

  /** The dataset name in {@code dataset.json}: tells a version-2 directory from a version-1 one. */
  public static String datasetName(int version) {
    return version == 1 ? "medssl-phantom" : "medssl-phantom-v" + version;
  }

  /** Version 1 phantoms. */
  public static Summary write(Path dir, int subjects, int unlabeled, long seed) {
    return write(dir, subjects, unlabeled, seed, 1);
  }

  public static Summary write(Path dir, int subjects, int unlabeled, long seed, int version) {
    if (version < 1 || version > PhantomConfig.LATEST_VERSION) {
      throw new MedsslException("phantom version must be 1 or " + PhantomConfig.LATEST_VERSION + ", got " + version);
    }
    if (subjects < 3) {
      throw new MedsslException("--subjects must be at least 3 (training and test need subjects), got " + subjects);
    }
    if (unlabeled < 0) {
      throw new MedsslException("--unlabeled must not be negative, got " + unlabeled);
    }
    PhantomGenerator gen = new PhantomGenerator(PhantomConfig.defaults(version));
    int nTrain = Math.round(subjects * 2f / 3f);
    List<DatasetSpec.Case> training = write(dir, gen, seed, 0, nTrain, "imagesTr", "labelsTr");
    List<DatasetSpec.Case> test = write(dir, gen, seed, nTrain, subjects, "imagesTs", "labelsTs");
    List<DatasetSpec.Case> ul = write(dir, gen, seed, subjects, subjects + unlabeled, "imagesUl", null);
    new DatasetSpec(dir, datasetName(version), "MRI", PhantomGenerator.labelNames(), training, test, ul).write();
    return new Summary(training.size(), test.size(), ul.size(), PhantomGenerator.labelNames());
  }

  private static List<DatasetSpec.Case> write(Path dir, PhantomGenerator gen, long seed, int from, int to,
      String imageDir, String labelDir) {
    // Subjects are independent: generate and write them in parallel, keep the order by index.
    return IntStream.range(from, to).parallel().mapToObj(k -> {
      String id = String.format("phantom_%03d", k);
      PhantomSubject s = gen.generate(org.medssl.data.Seeds.derive(seed, k));
      Path image = dir.resolve(imageDir).resolve(id + ".nii.gz");
      NiftiWriter.write(image, s.image(), null, NiftiDataType.FLOAT32);
      Path label = null;
      if (labelDir != null) {
        label = dir.resolve(labelDir).resolve(id + ".nii.gz");
        NiftiWriter.writeLabels(label, s.labels(), null);
      }
      return new DatasetSpec.Case(id, image, label);
    }).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
  }
}
