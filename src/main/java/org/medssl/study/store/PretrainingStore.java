package org.medssl.study.store;

import org.medssl.study.plan.Pretraining;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.medssl.MedsslException;
import org.medssl.io.AtomicFiles;

/**
 * Pretrained models of a study under {@code <study>/pretrained/}: {@code <label>.medssl} and
 * {@code <label>.json}. The JSON is written after the model file, so its presence means the
 * pretraining finished; both writes are atomic.
 */
public final class PretrainingStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path studyDir;

  public PretrainingStore(Path studyDir) {
    this.studyDir = studyDir;
  }

  public Path model(String label) {
    return studyDir.resolve("pretrained").resolve(label + ".medssl");
  }

  private Path record(String label) {
    return studyDir.resolve("pretrained").resolve(label + ".json");
  }

  public String relative(Path p) {
    return studyDir.relativize(p).toString().replace('\\', '/');
  }

  /** The stored record if this pretraining finished with the same settings; other settings are an error. */
  public Optional<PretrainingRecord> finished(Pretraining p) {
    Path file = record(p.label());
    if (!Files.isRegularFile(file) || !Files.isRegularFile(model(p.label()))) {
      return Optional.empty();
    }
    PretrainingRecord r = read(file);
    if (!r.fingerprint().equals(p.fingerprint())) {
      throw new MedsslException(file + ": was pretrained with other settings (" + r.description()
          + "); use another --out, or delete it and the cells that used it");
    }
    return Optional.of(r);
  }

  /** A pretraining that diverged: the error, and the engine configuration and precision it ran on. */
  public record Failure(String error, String engine, String precision, String failedAt) {}

  public Path failurePath(String label) {
    return studyDir.resolve("pretrained").resolve(label + ".failed.json");
  }

  /** The recorded divergence of this pretraining with the same settings; a record of other settings is ignored. */
  public Optional<Failure> failure(Pretraining p) {
    Path file = failurePath(p.label());
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode o = JSON.readTree(Files.readString(file));
      if (!p.fingerprint().equals(o.path("fingerprint").asText())) {
        return Optional.empty();
      }
      return Optional.of(new Failure(o.path("error").asText(), o.path("engine").asText(), o.path("precision").asText(),
          o.path("failedAt").asText()));
    } catch (IOException | RuntimeException e) {
      throw new MedsslException(file + ": unreadable pretraining failure record (" + e.getMessage() + "); delete it");
    }
  }

  public void writeFailure(Pretraining p, Failure f) {
    ObjectNode o = JSON.createObjectNode();
    o.put("label", p.label());
    o.put("fingerprint", p.fingerprint());
    o.put("error", f.error());
    o.put("engine", f.engine());
    o.put("precision", f.precision());
    o.put("failedAt", f.failedAt());
    AtomicFiles.writeString(failurePath(p.label()), o.toPrettyString() + "\n");
  }

  public void clearFailure(String label) {
    try {
      Files.deleteIfExists(failurePath(label));
    } catch (IOException e) {
      throw new MedsslException(failurePath(label) + ": cannot delete (" + e.getMessage() + ")");
    }
  }

  public void write(PretrainingRecord r) {
    AtomicFiles.writeString(record(r.label()), json(r));
  }

  static String json(PretrainingRecord r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("label", r.label());
    o.put("method", r.method());
    o.put("steps", r.steps());
    o.put("batch", r.batch());
    o.put("seed", r.seed());
    o.put("from", r.from());
    o.put("seconds", r.seconds());
    o.put("finalLoss", r.finalLoss());
    r.warnings().forEach(o.putArray("warnings")::add);
    o.put("images", r.images());
    o.put("file", r.file());
    o.put("fingerprint", r.fingerprint());
    o.put("description", r.description());
    o.put("medsslVersion", r.medsslVersion());
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static PretrainingRecord read(Path file) {
    try {
      JsonNode o = JSON.readTree(Files.readString(file));
      List<String> warnings = new ArrayList<>();
      o.path("warnings").forEach(w -> warnings.add(w.asText()));
      return new PretrainingRecord(o.get("label").asText(), o.get("method").asText(), o.get("steps").asInt(),
          o.get("batch").asInt(), o.get("seed").asLong(), o.get("from").isNull() ? null : o.get("from").asText(),
          o.get("seconds").asDouble(), o.get("finalLoss").asDouble(), warnings, o.get("images").asInt(),
          o.get("file").asText(), o.get("fingerprint").asText(), o.get("description").asText(),
          o.get("medsslVersion").asText());
    } catch (IOException | RuntimeException e) {
      throw new MedsslException(file + ": unreadable pretraining record (" + e.getMessage() + "); delete it to rerun", e);
    }
  }
}
