package org.medssl.io.dataset;

import org.medssl.io.nifti.NiftiReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.medssl.MedsslException;
import org.medssl.io.dataset.DatasetSpec.Case;
import org.medssl.io.dataset.DatasetSpec.Layout;

/**
 * Datasets without a {@code dataset.json}: image/label folder pairs matched by file name, and
 * image-only folders.
 *
 * <p>Pairs: {@code images/x.nii.gz} goes with {@code labels/x.nii.gz} ({@code .nii} and {@code
 * .nii.gz} mix freely; nnU-Net's channel suffix {@code _0000} on the image name is dropped before
 * matching). Images without a label join the unlabeled pool; a label without an image is an
 * error. {@code imagesTs/} (with {@code labelsTs/} where there are test labels) holds test cases.
 * Label names come from an optional {@code labels.json} ({@code {"0": "background", "1":
 * "liver"}}, the nnU-Net form {@code {"background": 0, ...}}, or either under a {@code "labels"}
 * key); without one they are {@code background, label_1 .. label_K} with K the largest value in
 * the label files, which are read once here to find it. The modality is unknown: the channel is
 * called "image".
 */
final class FolderLayout {
  static final String LABELS_HINT = "labels.json";
  static final String CHANNEL = "image";
  private static final String CHANNEL_0 = NnUNetChannels.suffix(0);

  /** Folders holding training images and their labels. */
  record Pair(String images, String labels) {
    boolean presentIn(Path dir) {
      return Files.isDirectory(dir.resolve(images)) && Files.isDirectory(dir.resolve(labels));
    }
  }

  static final List<Pair> PAIRS = List.of(new Pair("images", "labels"), new Pair("imagesTr", "labelsTr"));
  private static final Pair TEST = new Pair("imagesTs", "labelsTs");

  private FolderLayout() {}

  static DatasetSpec readPairs(Path dir, Pair pair) {
    List<Case> training = new ArrayList<>();
    List<Case> unlabeled = new ArrayList<>();
    for (Case c : cases(dir, pair)) {
      (c.labeled() ? training : unlabeled).add(c);
    }
    List<Case> test = Files.isDirectory(dir.resolve(TEST.images())) ? cases(dir, TEST) : List.of();
    if (training.isEmpty()) {
      throw new MedsslException(dir.resolve(pair.labels()) + ": no label file matches an image in "
          + dir.resolve(pair.images()) + " (labels are matched by file name, e.g. " + pair.images()
          + "/case1.nii.gz or case1_0000.nii.gz with " + pair.labels() + "/case1.nii.gz)");
    }
    for (Case t : test) {
      if (Stream.concat(training.stream(), unlabeled.stream()).anyMatch(c -> c.id().equals(t.id()))) {
        throw new MedsslException(t.image() + ": case " + t.id() + " is also in " + dir.resolve(pair.images())
            + " (a test case must not be a training case)");
      }
    }
    List<String> labelNames = labelNames(dir, pair, Stream.concat(training.stream(), test.stream())
        .filter(Case::labeled).toList());
    return new DatasetSpec(dir, name(dir), Layout.FOLDER_PAIRS + " " + pair.images() + "/ + " + pair.labels() + "/",
        List.of(CHANNEL), labelNames, training, test, unlabeled, 0, Layout.FOLDER_PAIRS);
  }

  static DatasetSpec readImageOnly(Path dir) {
    List<Case> pool = niftiFiles(dir).stream().map(f -> Case.of(f, null)).toList();
    requireUniqueIds(dir, pool);
    return new DatasetSpec(dir, name(dir), Layout.IMAGE_ONLY.toString(), List.of(CHANNEL), List.of(), List.of(),
        List.of(), pool, 0, Layout.IMAGE_ONLY);
  }

  /** The {@code .nii} and {@code .nii.gz} files directly in {@code folder}, sorted by name. */
  static List<Path> niftiFiles(Path folder) {
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(p -> isNifti(p) && Files.isRegularFile(p)).sorted().toList();
    } catch (IOException e) {
      throw new MedsslException(folder + ": cannot list: " + e.getMessage(), e);
    }
  }

  /** For the no-layout message: an images folder whose labels folder is missing is a likely slip. */
  static String loneImageFolder(Path dir) {
    for (Pair p : PAIRS) {
      if (Files.isDirectory(dir.resolve(p.images())) && !Files.isDirectory(dir.resolve(p.labels()))) {
        return " (" + p.images() + "/ has no " + p.labels() + "/ beside it)";
      }
    }
    return "";
  }

  private static boolean isNifti(Path p) {
    String n = p.getFileName().toString();
    return !n.startsWith(".") && (n.endsWith(".nii") || n.endsWith(".nii.gz"));
  }

  /** Cases of one images folder, labeled where its labels folder has a file of the same name. */
  private static List<Case> cases(Path dir, Pair pair) {
    Path labelDir = dir.resolve(pair.labels());
    Map<String, Path> labels = new LinkedHashMap<>();
    if (Files.isDirectory(labelDir)) {
      for (Path l : niftiFiles(labelDir)) {
        if (labels.put(DatasetSpec.caseId(l), l) != null) {
          throw new MedsslException(l + ": a second label file for case " + DatasetSpec.caseId(l));
        }
      }
    }
    List<Path> images = niftiFiles(dir.resolve(pair.images()));
    List<String> stems = images.stream().map(DatasetSpec::caseId).toList();
    List<Case> out = new ArrayList<>();
    for (Path image : images) {
      String stem = DatasetSpec.caseId(image);
      String id = stem.endsWith(CHANNEL_0) ? stem.substring(0, stem.length() - CHANNEL_0.length()) : stem;
      if (stem.matches(".*_\\d{4}") && !stem.endsWith(CHANNEL_0)
          && stems.contains(stem.substring(0, stem.length() - 5) + CHANNEL_0)) {
        throw new MedsslException(image + ": a second channel of " + stem.substring(0, stem.length() - 5)
            + "; a folder without dataset.json has one channel (add an nnU-Net v2 dataset.json with channel_names and file_ending to read both)");
      }
      out.add(new Case(id, image, labels.remove(id)));
    }
    if (!labels.isEmpty()) {
      Path orphan = labels.values().iterator().next();
      throw new MedsslException(orphan + ": no image of the same name in " + dir.resolve(pair.images())
          + (labels.size() > 1 ? " (nor for " + (labels.size() - 1) + " other label file(s))" : ""));
    }
    requireUniqueIds(dir.resolve(pair.images()), out);
    return out;
  }

  private static List<String> labelNames(Path dir, Pair pair, List<Case> labeled) {
    Path hint = dir.resolve(LABELS_HINT);
    if (Files.exists(hint)) {
      return new DatasetSpecReader(dir, hint).readLabelNames();
    }
    int max = 0;
    for (Case c : labeled) {
      max = Math.max(max, NiftiReader.read(c.label()).labels().maxLabel());
    }
    if (max < 1) {
      throw new MedsslException(dir.resolve(pair.labels()) + ": every label file holds only background (0);"
          + " nothing to segment (or name the labels in " + hint + ")");
    }
    List<String> names = new ArrayList<>(List.of("background"));
    for (int k = 1; k <= max; k++) {
      names.add("label_" + k);
    }
    return names;
  }

  /** x.nii and x.nii.gz in one folder would be two cases named x. */
  private static void requireUniqueIds(Path folder, List<Case> cases) {
    Map<String, Path> seen = new LinkedHashMap<>();
    for (Case c : cases) {
      Path before = seen.put(c.id(), c.image());
      if (before != null) {
        throw new MedsslException(c.image() + ": case " + c.id() + " already read from " + before.getFileName()
            + " in " + folder);
      }
    }
  }

  private static String name(Path dir) {
    Path n = dir.toAbsolutePath().normalize().getFileName();
    return n == null ? "dataset" : n.toString();
  }
}
