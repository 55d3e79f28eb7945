package org.medssl.io.dataset;

import org.medssl.io.AtomicFiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.medssl.MedsslException;

/**
 * nnU-Net's {@code splits_final.json} beside a dataset: a list of folds, each
 * {@code {"train": [...], "val": [...]}}. medssl uses fold 0's {@code val} as the fixed validation
 * subjects, so a dataset can say which subjects must not serve as training labels (e.g. a slab
 * kept apart from the training slices).
 */
public final class SplitsFile {
  public static final String FILE = "splits_final.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SplitsFile() {}

  /** Fold 0's validation ids, if the dataset has a splits file. */
  public static Optional<List<String>> validation(Path datasetDir) {
    Path file = datasetDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new MedsslException(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
    }
    JsonNode val = root.path(0).path("val");
    if (!val.isArray() || val.isEmpty()) {
      throw new MedsslException(file + ": expected a list of folds whose first has a non-empty \"val\" list");
    }
    List<String> ids = new ArrayList<>();
    val.forEach(v -> ids.add(v.asText()));
    return Optional.of(ids);
  }

  /** Writes one fold: these validation ids, the rest training. */
  public static void write(Path datasetDir, List<String> train, List<String> validation) {
    var fold = JSON.createObjectNode();
    train.forEach(fold.putArray("train")::add);
    validation.forEach(fold.putArray("val")::add);
    var folds = JSON.createArrayNode().add(fold);
    try {
      AtomicFiles.writeString(datasetDir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(folds)
          + "\n");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
