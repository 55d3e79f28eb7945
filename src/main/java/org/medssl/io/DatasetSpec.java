package org.medssl.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.medssl.MedsslException;

/**
 * A dataset in Medical Segmentation Decathlon layout: {@code dataset.json} with labels, training
 * image/label pairs, test cases (pairs, or MSD's bare image paths) and our {@code unlabeled}
 * list of image-only subjects. Labels may be MSD v1 ({@code {"0": "background"}}) or nnU-Net v2
 * ({@code {"background": 0}}); both read into one index-ordered list of names.
 */
public record DatasetSpec(Path root, String name, String modality, List<String> labelNames, List<Case> training,
    List<Case> test, List<Case> unlabeled) {

  public static final String FILE = "dataset.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One subject: an id (the file name without extension), its image and its label map (or null). */
  public record Case(String id, Path image, Path label) {
    public boolean labeled() {
      return label != null;
    }
  }

  public DatasetSpec {
    labelNames = List.copyOf(labelNames);
    training = List.copyOf(training);
    test = List.copyOf(test);
    unlabeled = List.copyOf(unlabeled);
  }

  /** Reads and validates {@code dir/dataset.json}; every referenced file must exist. */
  public static DatasetSpec read(Path dir) {
    Path file = dir.resolve(FILE);
    JsonNode root = parse(file);
    List<String> labels = labels(file, root.get("labels"));
    List<Case> training = cases(file, dir, root.get("training"), "training", true);
    if (training.isEmpty()) {
      throw new MedsslException(file + ": the dataset has no training cases");
    }
    List<Case> test = cases(file, dir, root.get("test"), "test", false);
    List<Case> unlabeled = cases(file, dir, root.get("unlabeled"), "unlabeled", false);
    String modality = root.path("modality").path("0").asText(root.path("channel_names").path("0").asText("MRI"));
    return new DatasetSpec(dir, root.path("name").asText(dir.getFileName().toString()), modality, labels, training,
        test, unlabeled);
  }

  private static JsonNode parse(Path file) {
    try {
      JsonNode root = JSON.readTree(Files.readString(file));
      if (root == null || !root.isObject()) {
        throw new MedsslException(file + ": expected a JSON object");
      }
      return root;
    } catch (NoSuchFileException e) {
      throw new MedsslException(file + ": does not exist (expected a dataset in MSD layout with dataset.json)");
    } catch (JsonProcessingException e) {
      throw new MedsslException(file + ": malformed JSON at line " + e.getLocation().getLineNr() + ": "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new MedsslException(file + ": cannot read: " + e.getMessage());
    }
  }

  private static List<String> labels(Path file, JsonNode node) {
    if (node == null || !node.isObject() || node.isEmpty()) {
      throw new MedsslException(file + ": missing 'labels' (e.g. {\"0\": \"background\", \"1\": \"liver\"})");
    }
    Map<Integer, String> byIndex = new TreeMap<>();
    node.fields().forEachRemaining(e -> {
      boolean v2 = e.getValue().isInt();
      int index = v2 ? e.getValue().asInt() : parseIndex(file, e.getKey());
      String name = v2 ? e.getKey() : e.getValue().asText();
      if (byIndex.put(index, name) != null) {
        throw new MedsslException(file + ": label index " + index + " is declared twice");
      }
    });
    List<String> names = new ArrayList<>();
    for (Map.Entry<Integer, String> e : byIndex.entrySet()) {
      if (e.getKey() != names.size()) {
        throw new MedsslException(file + ": labels must be consecutive from 0; index " + names.size() + " is missing");
      }
      names.add(e.getValue());
    }
    if (names.size() < 2) {
      throw new MedsslException(file + ": 'labels' needs background (0) and at least one class");
    }
    return names;
  }

  private static int parseIndex(Path file, String key) {
    try {
      return Integer.parseInt(key.trim());
    } catch (NumberFormatException e) {
      throw new MedsslException(file + ": label key '" + key + "' is not an integer");
    }
  }

  private static List<Case> cases(Path file, Path dir, JsonNode node, String key, boolean needLabels) {
    List<Case> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      throw new MedsslException(file + ": '" + key + "' must be a list");
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode entry = node.get(i);
      String where = key + "[" + i + "]";
      Path image = resolve(file, dir, entry.isTextual() ? entry : entry.get("image"), where + ".image");
      JsonNode labelNode = entry.isObject() ? entry.get("label") : null;
      if (needLabels && labelNode == null) {
        throw new MedsslException(file + ": " + where + " has no 'label'");
      }
      Path label = labelNode == null || labelNode.isNull() ? null : resolve(file, dir, labelNode, where + ".label");
      out.add(new Case(caseId(image), image, label));
    }
    return out;
  }

  private static Path resolve(Path file, Path dir, JsonNode node, String where) {
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      throw new MedsslException(file + ": " + where + " must be a file path");
    }
    Path p = dir.resolve(node.asText()).normalize();
    if (!Files.isRegularFile(p)) {
      throw new MedsslException(file + ": " + where + " " + node.asText() + " does not exist");
    }
    return p;
  }

  /** File name without {@code .nii(.gz)}. */
  public static String caseId(Path image) {
    String n = image.getFileName().toString();
    return n.replaceFirst("\\.nii(\\.gz)?$", "");
  }

  /** Writes {@code dir/dataset.json} atomically, with paths relative to {@code dir} as MSD does. */
  public void write() {
    ObjectNode json = JSON.createObjectNode();
    json.put("name", name);
    json.put("description", "written by medssl");
    json.putObject("modality").put("0", modality);
    ObjectNode labels = json.putObject("labels");
    for (int i = 0; i < labelNames.size(); i++) {
      labels.put(Integer.toString(i), labelNames.get(i));
    }
    json.put("numTraining", training.size());
    json.put("numTest", test.size());
    json.put("numUnlabeled", unlabeled.size());
    json.set("training", entries(training));
    json.set("test", entries(test));
    json.set("unlabeled", entries(unlabeled));
    try {
      AtomicFiles.writeString(root.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private ArrayNode entries(List<Case> cases) {
    ArrayNode arr = JSON.createArrayNode();
    for (Case c : cases) {
      ObjectNode e = arr.addObject();
      e.put("image", "./" + root.relativize(c.image()).toString().replace('\\', '/'));
      if (c.label() != null) {
        e.put("label", "./" + root.relativize(c.label()).toString().replace('\\', '/'));
      }
    }
    return arr;
  }
}
