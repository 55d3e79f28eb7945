package org.medssl.io.dataset;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.medssl.MedsslException;
import org.medssl.io.dataset.DatasetSpec.Case;
import org.medssl.io.dataset.DatasetSpec.Layout;

/**
 * Parses and validates one {@code dataset.json}; every message starts with the file's path. Kept
 * apart from {@link DatasetSpec} so the value type stays small.
 */
final class DatasetSpecReader {

  /** Duplicate keys are an error: in "labels" a silent last-one-wins would rename a class. */
  static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final Path dir;
  private final Path file;

  DatasetSpecReader(Path dir) {
    this(dir, dir.resolve(DatasetSpec.FILE));
  }

  /** A reader of another JSON file of the dataset, such as a folder layout's {@code labels.json}. */
  DatasetSpecReader(Path dir, Path file) {
    this.dir = dir;
    this.file = file;
  }

  /**
   * Label names from a hint file holding either a {@code "labels"} object or that object alone, in
   * MSD v1 ({@code {"0": "background"}}) or nnU-Net v2 ({@code {"background": 0}}) form.
   */
  List<String> readLabelNames() {
    JsonNode root = parse();
    return labels(root.has("labels") ? root.get("labels") : root);
  }

  DatasetSpec read() {
    JsonNode root = parse();
    List<String> channels = channels(root);
    List<String> labels = labels(root.get("labels"));
    List<Case> training;
    List<Case> test;
    Layout layout = Layout.MSD;
    List<Case> unlabeled = new ArrayList<>(cases(root.get("unlabeled"), "unlabeled", false));
    if (root.has("training") || !root.has("file_ending")) {
      training = cases(root.get("training"), "training", true);
      test = cases(root.get("test"), "test", false);
    } else {
      String ending = root.get("file_ending").asText();
      layout = Layout.NNUNET_V2;
      unlabeled = channelCases(unlabeled, ending, channels);
      List<Case> imagesTr = discover("imagesTr", "labelsTr", ending, channels);
      training = imagesTr.stream().filter(Case::labeled).toList();
      unlabeled.addAll(imagesTr.stream().filter(c -> !c.labeled()).toList()); // unannotated scans: the SSL pool
      test = discover("imagesTs", "labelsTs", ending, channels);
    }
    if (training.isEmpty()) {
      throw error("the dataset has no training cases (an image/label pair is needed)");
    }
    requireUniqueIds(training, test, unlabeled);
    String name = root.path("name").asText("");
    if (name.isBlank()) { // absent or "" (the fuzzer's find): the folder names the dataset
      name = dir.toAbsolutePath().normalize().getFileName().toString();
    }
    try {
      return new DatasetSpec(dir, name, root.path("description").asText(""), channels, labels, training, test,
          unlabeled, 0, layout);
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
  }

  private JsonNode parse() {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw error("does not exist (expected a dataset in MSD layout with " + DatasetSpec.FILE + ")");
    } catch (IOException e) {
      throw error("cannot read: " + e.getMessage());
    }
    try {
      JsonNode root = JSON.readTree(text);
      if (root == null || !root.isObject()) {
        throw error("expected a JSON object at the top level");
      }
      return root;
    } catch (JsonProcessingException e) {
      // Jackson's own text names a redacted source; the file is named by error() already.
      String detail = e.getOriginalMessage().replaceAll("\\[Source: [^;]*; ", "[");
      throw error("malformed JSON at line " + e.getLocation().getLineNr() + ": " + detail);
    }
  }

  private List<String> channels(JsonNode root) {
    JsonNode node = root.has("channel_names") ? root.get("channel_names") : root.get("modality");
    if (node == null) {
      throw error("missing 'modality' (MSD, e.g. {\"0\": \"MRI\"}) or 'channel_names' (nnU-Net v2)");
    }
    String key = root.has("channel_names") ? "channel_names" : "modality";
    if (!node.isObject() || node.isEmpty()) {
      throw error("'" + key + "' must be an object like {\"0\": \"MRI\"}");
    }
    Map<Integer, String> byIndex = new TreeMap<>();
    node.fields().forEachRemaining(e -> byIndex.put(index(key, e.getKey()), e.getValue().asText()));
    return consecutive(key, byIndex);
  }

  /** MSD v1 {"0": "background"} or nnU-Net v2 {"background": 0}, into names by value. */
  private List<String> labels(JsonNode node) {
    if (node == null) {
      throw error("missing 'labels' (e.g. {\"0\": \"background\", \"1\": \"liver\"})");
    }
    if (!node.isObject() || node.isEmpty()) {
      throw error("'labels' must be a non-empty object");
    }
    Map<Integer, String> byIndex = new TreeMap<>();
    node.fields().forEachRemaining(e -> {
      JsonNode v = e.getValue();
      if (v.isArray()) {
        throw error("labels." + e.getKey() + ": region labels (lists of values) are not supported");
      }
      boolean v2 = v.isIntegralNumber();
      int index = v2 ? v.asInt() : index("labels", e.getKey());
      String name = v2 ? e.getKey() : v.asText();
      if (byIndex.put(index, name) != null) {
        throw error("label value " + index + " is declared twice");
      }
    });
    List<String> names = consecutive("labels", byIndex);
    if (names.size() < 2) {
      throw error("'labels' needs background (0) and at least one class");
    }
    if (names.stream().distinct().count() != names.size()) {
      throw error("label names must be unique: " + names);
    }
    return names;
  }

  private int index(String key, String text) {
    try {
      int i = Integer.parseInt(text.trim());
      if (i < 0) {
        throw error(key + ": index " + i + " is negative");
      }
      return i;
    } catch (NumberFormatException e) {
      throw error(key + ": key '" + text + "' is not an integer index");
    }
  }

  private List<String> consecutive(String key, Map<Integer, String> byIndex) {
    List<String> names = new ArrayList<>();
    for (Map.Entry<Integer, String> e : byIndex.entrySet()) {
      if (e.getKey() != names.size()) {
        throw error(key + " must be numbered consecutively from 0; " + names.size() + " is missing");
      }
      names.add(e.getValue());
    }
    return names;
  }

  private List<Case> cases(JsonNode node, String key, boolean needLabels) {
    if (node == null || node.isNull()) {
      if (needLabels) {
        throw error("missing '" + key + "' (a list of {\"image\": ..., \"label\": ...})");
      }
      return List.of();
    }
    if (!node.isArray()) {
      throw error("'" + key + "' must be a list");
    }
    List<Case> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      out.add(entry(node.get(i), key + "[" + i + "]", needLabels));
    }
    return out;
  }

  /** A bare image path (MSD test lists) or an object with "image" and, maybe, "label". */
  private Case entry(JsonNode entry, String where, boolean needLabel) {
    if (!entry.isTextual() && !entry.isObject()) {
      throw error(where + " must be an image path or an object with 'image' and 'label'");
    }
    JsonNode imageNode = entry.isTextual() ? entry : entry.get("image");
    JsonNode labelNode = entry.isObject() ? entry.get("label") : null;
    if (needLabel && (labelNode == null || labelNode.isNull())) {
      throw error(where + " has no 'label'");
    }
    Path image = existing(imageNode, where + ".image");
    Path label = labelNode == null || labelNode.isNull() ? null : existing(labelNode, where + ".label");
    return Case.of(image, label);
  }

  private Path existing(JsonNode node, String where) {
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      throw error(where + " must be a file path");
    }
    Path p = dir.resolve(node.asText()).normalize();
    if (!Files.isRegularFile(p)) {
      throw error(where + " " + node.asText() + " does not exist");
    }
    return p;
  }

  /**
   * nnU-Net v2 keeps no case list: images are {@code imagesTr/{case}_0000{ending}}, each with its
   * label in {@code labelDir} when it has one (an image without a label is returned unlabeled) and
   * one more file per further channel, {@code _0001} and on, which must all be there.
   */
  private List<Case> discover(String imageDir, String labelDir, String ending, List<String> channels) {
    Path images = dir.resolve(imageDir);
    if (!Files.isDirectory(images)) {
      if (imageDir.equals("imagesTr")) {
        throw error("has no 'training' list and " + images + " does not exist");
      }
      return List.of();
    }
    List<Case> out = new ArrayList<>();
    for (Path image : list(images, NnUNetChannels.suffix(0) + ending)) {
      String id = NnUNetChannels.caseId(image, ending);
      Path label = dir.resolve(labelDir).resolve(id + ending);
      Case c = new Case(id, image, Files.isRegularFile(label) ? label : null);
      requireEveryChannel(c, channels, imageDir);
      out.add(c);
    }
    return out;
  }

  private List<Path> list(Path folder, String suffix) {
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw error("cannot list " + folder + ": " + e.getMessage());
    }
  }

  /**
   * The "unlabeled" list of a multi-channel nnU-Net v2 dataset names each case by its channel-0
   * file ({@code {case}_0000{ending}}), whose siblings hold the other channels.
   */
  private List<Case> channelCases(List<Case> listed, String ending, List<String> channels) {
    if (channels.size() < 2) {
      return listed;
    }
    List<Case> out = new ArrayList<>();
    for (int i = 0; i < listed.size(); i++) {
      Path image = listed.get(i).image();
      String id = NnUNetChannels.caseId(image, ending);
      if (id == null) {
        throw error("unlabeled[" + i + "] " + image.getFileName() + ": with " + channels.size() + " channels, list"
            + " each case by its channel-0 file, {case}" + NnUNetChannels.suffix(0) + ending);
      }
      Case c = new Case(id, image, null);
      requireEveryChannel(c, channels, "unlabeled[" + i + "]: " + image.getParent().getFileName());
      out.add(c);
    }
    return out;
  }

  private void requireEveryChannel(Case c, List<String> channels, String imageDir) {
    for (int k = 1; k < channels.size(); k++) {
      Path file = NnUNetChannels.file(c, k);
      if (!Files.isRegularFile(file)) {
        throw error("case " + c.id() + " has no " + imageDir + "/" + file.getFileName() + " (channel " + k + ", "
            + channels.get(k) + "; channel_names declares " + channels.size() + ")");
      }
    }
  }

  private void requireUniqueIds(List<Case> training, List<Case> test, List<Case> unlabeled) {
    Map<String, String> seen = new HashMap<>();
    String[] keys = {"training", "test", "unlabeled"};
    List<List<Case>> lists = List.of(training, test, unlabeled);
    for (int l = 0; l < 3; l++) {
      for (int i = 0; i < lists.get(l).size(); i++) {
        String where = keys[l] + "[" + i + "]";
        String before = seen.putIfAbsent(lists.get(l).get(i).id(), where);
        if (before != null) {
          throw error(where + ": case id " + lists.get(l).get(i).id() + " already used by " + before);
        }
      }
    }
  }

  private MedsslException error(String problem) {
    return new MedsslException(file + ": " + problem);
  }
}
