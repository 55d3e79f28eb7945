package org.medssl.io.dataset;

import org.medssl.io.AtomicFiles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.medssl.MedsslException;

/**
 * A dataset: where its cases are, their label names and input channels. {@link DatasetLayouts#open}
 * recognises the layout of a directory; {@link #read} reads the Medical Segmentation Decathlon
 * layout: {@code dataset.json} beside {@code imagesTr}, {@code labelsTr}, {@code imagesTs} and so on.
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
 * @param root the dataset directory
 * @param channelNames input channel names by index (MSD "modality"), at least one
 * @param labelNames label names by value, consecutive from 0 (background); empty for a dataset
 *     without any labels (an image-only folder)
 * @param channel the input channel read from multi-channel images (0 for single-channel data)
 * @param layout how the directory was laid out, for messages
 */
public record DatasetSpec(Path root, String name, String description, List<String> channelNames,
    List<String> labelNames, List<Case> training, List<Case> test, List<Case> unlabeled, int channel,
    Layout layout) {

  public static final String FILE = "dataset.json";

  /** The directory layouts {@link DatasetLayouts#open} recognises, in the order it tries them. */
  public enum Layout {
    MSD("MSD/nnU-Net dataset.json"),
    NNUNET_V2("nnU-Net v2 dataset.json + imagesTr/ (one file per channel)"),
    ACDC("ACDC patient folders"),
    FOLDER_PAIRS("image/label folder pairs"),
    IMAGE_ONLY("image-only folder");

    private final String description;

    Layout(String description) {
      this.description = description;
    }

    @Override
    public String toString() {
      return description;
    }
  }

  /**
   * One scan: an id (unique in the dataset), the subject it belongs to, its image file and its
   * label map (or null for a scan without labels), and which 3D volume of the image file it is.
   *
   * <p>Several cases can share a subject (the frames of one ACDC patient's cine), and splits keep a
   * subject's cases together so frames of one heart never sit on both sides of a split.
   *
   * @param frame index along the 4th dimension of the image file (an ACDC cine frame, or the
   *     channel of a multi-channel MSD image), or {@link #WHOLE_FILE} when the file is one 3D volume
   */
  public record Case(String id, Path image, Path label, String subject, int frame) {
    public static final int WHOLE_FILE = -1;

    public Case {
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException("a case needs an id");
      }
      if (image == null) {
        throw new IllegalArgumentException("case " + id + " needs an image");
      }
      subject = subject == null || subject.isBlank() ? id : subject;
      if (frame < WHOLE_FILE) {
        throw new IllegalArgumentException("case " + id + ": frame " + frame + " is negative");
      }
    }

    /** A case that is its own subject, its image file one 3D volume. */
    public Case(String id, Path image, Path label) {
      this(id, image, label, id, WHOLE_FILE);
    }

    /** A case named after its image file. */
    public static Case of(Path image, Path label) {
      return new Case(caseId(image), image, label);
    }

    public boolean labeled() {
      return label != null;
    }

    /** The same scan without its label (pretraining uses images only). */
    public Case withoutLabel() {
      return new Case(id, image, null, subject, frame);
    }

    public Case withFrame(int newFrame) {
      return new Case(id, image, label, subject, newFrame);
    }

    public Case withImage(Path newImage) {
      return new Case(id, newImage, label, subject, frame);
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
    if (channel < 0 || channel >= channelNames.size()) {
      throw new IllegalArgumentException("channel " + channel + " of " + channelNames);
    }
    boolean anyLabel = !training.isEmpty() || test.stream().anyMatch(Case::labeled);
    if ((anyLabel || !labelNames.isEmpty())
        && (labelNames.size() < 2 || new HashSet<>(labelNames).size() != labelNames.size())) {
      throw new IllegalArgumentException("labels need background and at least one class, names unique: "
          + labelNames);
    }
    requireLabels(training, "training");
    requireUniqueIds(training, test, unlabeled);
    Objects.requireNonNull(layout, "layout");
  }

  /** An MSD dataset reading channel 0. */
  public DatasetSpec(Path root, String name, String description, List<String> channelNames,
      List<String> labelNames, List<Case> training, List<Case> test, List<Case> unlabeled) {
    this(root, name, description, channelNames, labelNames, training, test, unlabeled, 0, Layout.MSD);
  }

  /** A single-channel dataset without description. */
  public DatasetSpec(Path root, String name, String modality, List<String> labelNames,
      List<Case> training, List<Case> test, List<Case> unlabeled) {
    this(root, name, "", List.of(modality), labelNames, training, test, unlabeled);
  }

  /** Name of the input channel read, e.g. "MRI", "CT" or "ADC". */
  public String channelName() {
    return channelNames.get(channel);
  }

  public boolean multiChannel() {
    return channelNames.size() > 1;
  }

  /**
   * Index of a channel chosen by name (case-insensitive, e.g. "ADC") or by index ("1"); null
   * chooses channel 0.
   */
  public int channelIndex(String choice) {
    if (choice == null || choice.isBlank()) {
      return 0;
    }
    String c = choice.strip();
    for (int i = 0; i < channelNames.size(); i++) {
      if (channelNames.get(i).equalsIgnoreCase(c) || Integer.toString(i).equals(c)) {
        return i;
      }
    }
    throw new MedsslException(root + ": has no channel '" + c + "'; its channels are " + channelList()
        + " (choose one by name or index)");
  }

  /**
   * This dataset reading channel {@code index} of every image: each case of a multi-channel
   * dataset then reads that volume of its 4D file (MSD), or its {@code {case}_000k} file (nnU-Net v2).
   */
  public DatasetSpec withChannel(int index) {
    if (index < 0 || index >= channelNames.size()) {
      throw new MedsslException(root + ": has no channel " + index + "; its channels are " + channelList());
    }
    if (!multiChannel()) {
      return this;
    }
    UnaryOperator<Case> select = c -> channelCase(c, index);
    return new DatasetSpec(root, name, description, channelNames, labelNames, map(training, select),
        map(test, select), map(unlabeled, select), index, layout);
  }

  /**
   * The cases that hold each input channel of {@code c} (a case of this dataset), in channel
   * order: frames of its 4D file (MSD), or its {@code {case}_000k} files (nnU-Net v2); {@code c}
   * alone for single-channel data.
   */
  public List<Case> channelCases(Case c) {
    if (!multiChannel()) {
      return List.of(c);
    }
    return java.util.stream.IntStream.range(0, channelNames.size()).mapToObj(k -> channelCase(c, k)).toList();
  }

  private Case channelCase(Case c, int index) {
    return layout == Layout.NNUNET_V2 ? c.withImage(NnUNetChannels.file(c, index)) : c.withFrame(index);
  }

  /** "0 T2, 1 ADC". */
  public String channelList() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < channelNames.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(i).append(' ').append(channelNames.get(i));
    }
    return sb.toString();
  }

  /** The subjects of the training cases, each once, in order of first appearance. */
  public List<String> trainingSubjects() {
    return training.stream().map(Case::subject).distinct().toList();
  }

  /** Every training case of the given subjects: whole subjects, never some of their frames. */
  public List<Case> trainingCasesOf(Collection<String> subjects) {
    Set<String> wanted = new HashSet<>(subjects);
    return training.stream().filter(c -> wanted.contains(c.subject())).toList();
  }

  /** Fails with a message saying what this dataset lacks when {@code command} needs labeled training cases. */
  public void requireTrainingLabels(String command) {
    if (training.isEmpty()) {
      throw new MedsslException(root + ": " + layout + " with " + unlabeled.size() + " unlabeled image(s) and no "
          + "labeled training cases; " + command + " needs labels (pretrain can use unlabeled images)");
    }
  }

  /** Fails when {@code command} needs labeled test cases and there are none. */
  public void requireTestLabels(String command) {
    if (test.stream().noneMatch(Case::labeled)) {
      throw new MedsslException(root + ": no labeled test cases for " + command + " (read as " + layout + ")");
    }
  }

  private static List<Case> map(List<Case> cases, UnaryOperator<Case> f) {
    return cases.stream().map(f).toList();
  }

  /** Modality of the channel read, e.g. "MRI" or "CT" (the same as {@link #channelName()}). */
  public String modality() {
    return channelName();
  }

  /**
   * Reads and validates {@code dir/dataset.json} (the MSD layout only; {@link DatasetLayouts#open}
   * recognises every layout). Every problem (malformed JSON, a missing key, a
   * referenced file that does not exist, no training cases) is a {@link org.medssl.MedsslException}
   * naming the file.
   */
  public static DatasetSpec read(Path dir) {
    return new DatasetSpecReader(dir).read();
  }

  /** Writes {@code root/dataset.json} atomically (MSD cases only: a dataset.json holds no frame indices). */
  public void write() {
    write(root);
  }

  /**
   * Writes {@code dir/dataset.json} atomically, pretty-printed, in MSD v1 form plus our
   * {@code "unlabeled"} list; case paths are written relative to {@code dir}.
   */
  public void write(Path dir) {
    if (layout == Layout.NNUNET_V2 && multiChannel()) {
      throw new IllegalStateException("an nnU-Net v2 dataset keeps one file per channel; " + FILE + " cannot list them");
    }
    if (channel != 0 || Stream.of(training, test, unlabeled).flatMap(List::stream)
        .anyMatch(c -> c.frame() != Case.WHOLE_FILE)) {
      throw new IllegalStateException("cases that read one frame of a 4D file cannot be written to " + FILE);
    }
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
