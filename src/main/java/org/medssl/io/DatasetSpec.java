package org.medssl.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A dataset in Medical Segmentation Decathlon layout: {@code dataset.json} beside {@code imagesTr},
 * {@code labelsTr}, {@code imagesTs} and so on.
 *
 * <p>Reads MSD v1 files ({@code "modality": {"0": "MRI"}}, {@code "labels": {"0": "background"}},
 * test cases as bare image paths) and nnU-Net v2 files ({@code "channel_names"}, {@code "labels":
 * {"background": 0}}, cases found on disk by {@code file_ending} when there is no {@code
 * "training"} list) into one model. Ours adds test cases as image/label pairs and an {@code
 * "unlabeled"} list of image-only subjects for pretraining.
 *
 * <p>Case paths are resolved against the dataset directory when read (so a relative directory
 * gives paths relative to the working directory), and written relative to it
 * ({@code ./imagesTr/x.nii.gz}) as MSD does.
 *
 * @param root the directory holding {@code dataset.json}
 * @param channelNames input channel names by index (MSD "modality"), at least one
 * @param labelNames label names by value, consecutive from 0 (background)
 */
public record DatasetSpec(Path root, String name, String description, List<String> channelNames,
    List<String> labelNames, List<Case> training, List<Case> test, List<Case> unlabeled) {

  public static final String FILE = "dataset.json";

  /**
   * One subject: an id (the image file name without extension), its image and its label map, or
   * null for a subject without labels.
   */
  public record Case(String id, Path image, Path label) {
    public Case {
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException("a case needs an id");
      }
      if (image == null) {
        throw new IllegalArgumentException("case " + id + " needs an image");
      }
    }

    /** A case named after its image file. */
    public static Case of(Path image, Path label) {
      return new Case(caseId(image), image, label);
    }

    public boolean labeled() {
      return label != null;
    }
  }

  public DatasetSpec {
    if (root == null || name == null || name.isBlank()) {
      throw new IllegalArgumentException("a dataset needs a root directory and a name");
    }
    description = description == null ? "" : description;
    channelNames = List.copyOf(channelNames);
    labelNames = List.copyOf(labelNames);
    training = List.copyOf(training);
    test = List.copyOf(test);
    unlabeled = List.copyOf(unlabeled);
    if (channelNames.isEmpty()) {
      throw new IllegalArgumentException("a dataset needs at least one channel");
    }
    if (labelNames.size() < 2 || new HashSet<>(labelNames).size() != labelNames.size()) {
      throw new IllegalArgumentException("labels need background and at least one class, names unique: "
          + labelNames);
    }
    requireLabels(training, "training");
    requireUniqueIds(training, test, unlabeled);
  }

  /** A single-channel dataset without description. */
  public DatasetSpec(Path root, String name, String modality, List<String> labelNames,
      List<Case> training, List<Case> test, List<Case> unlabeled) {
    this(root, name, "", List.of(modality), labelNames, training, test, unlabeled);
  }

  /** Name of the first input channel, e.g. "MRI" or "CT". */
  public String modality() {
    return channelNames.get(0);
  }

  /**
   * Reads and validates {@code dir/dataset.json}. Every problem (malformed JSON, a missing key, a
   * referenced file that does not exist, no training cases) is a {@link org.medssl.MedsslException}
   * naming the file.
   */
  public static DatasetSpec read(Path dir) {
    return new DatasetSpecReader(dir).read();
  }

  /** Writes {@code root/dataset.json} atomically. */
  public void write() {
    write(root);
  }

  /**
   * Writes {@code dir/dataset.json} atomically, pretty-printed, in MSD v1 form plus our
   * {@code "unlabeled"} list; case paths are written relative to {@code dir}.
   */
  public void write(Path dir) {
    ObjectNode json = DatasetSpecReader.JSON.createObjectNode();
    json.put("name", name);
    json.put("description", description);
    json.set("modality", indexed(channelNames));
    json.set("labels", indexed(labelNames));
    json.put("numTraining", training.size());
    json.put("numTest", test.size());
    json.put("numUnlabeled", unlabeled.size());
    json.set("training", pairs(dir, training));
    json.set("test", pairs(dir, test));
    ArrayNode images = json.putArray("unlabeled");
    unlabeled.forEach(c -> images.add(relative(dir, c.image())));
    try {
      String text = DatasetSpecReader.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
      AtomicFiles.writeString(dir.resolve(FILE), text + "\n");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a tree we built", e);
    }
  }

  /** File name without {@code .nii}, {@code .nii.gz} or another image extension. */
  public static String caseId(Path image) {
    String n = image.getFileName().toString();
    return n.replaceFirst("\\.(nii\\.gz|nii|mha|mhd|nrrd|png)$", "");
  }

  private static ObjectNode indexed(List<String> names) {
    ObjectNode node = DatasetSpecReader.JSON.createObjectNode();
    for (int i = 0; i < names.size(); i++) {
      node.put(Integer.toString(i), names.get(i));
    }
    return node;
  }

  private static ArrayNode pairs(Path dir, List<Case> cases) {
    ArrayNode arr = DatasetSpecReader.JSON.createArrayNode();
    for (Case c : cases) {
      ObjectNode e = arr.addObject();
      e.put("image", relative(dir, c.image()));
      if (c.label() != null) {
        e.put("label", relative(dir, c.label()));
      }
    }
    return arr;
  }

  /**
   * MSD style {@code ./sub/file}. Case paths are ordinary paths (relative ones to the working
   * directory), exactly as {@link #read} returns them, so a spec read from {@code data} and
   * written back keeps pointing at the same files.
   */
  private static String relative(Path dir, Path file) {
    Path base = dir.toAbsolutePath().normalize();
    Path abs = file.toAbsolutePath().normalize();
    String rel = base.relativize(abs).toString().replace('\\', '/');
    return rel.startsWith("../") ? rel : "./" + rel;
  }

  private static void requireLabels(List<Case> cases, String list) {
    for (Case c : cases) {
      if (!c.labeled()) {
        throw new IllegalArgumentException(list + " case " + c.id() + " has no label");
      }
    }
  }

  private static void requireUniqueIds(List<Case> training, List<Case> test, List<Case> unlabeled) {
    Set<String> seen = new HashSet<>();
    for (List<Case> list : List.of(training, test, unlabeled)) {
      for (Case c : list) {
        if (!seen.add(c.id())) {
          throw new IllegalArgumentException("case id " + c.id() + " appears twice");
        }
      }
    }
  }
}
