package org.medssl.study.store;

import org.medssl.study.plan.Cell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.medssl.MedsslException;
import org.medssl.io.AtomicFiles;
import org.medssl.seg.FineTuneResult;

/**
 * The results store: one JSON file per finished cell under {@code <study>/cells/}, written
 * atomically, so a kill loses at most the cell in progress. Everything else is derived from it.
 */
public final class CellStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;

  public CellStore(Path studyDir) {
    this.dir = studyDir.resolve("cells");
  }

  public Path path(Cell cell) {
    return dir.resolve(cell.key() + ".json");
  }

  public Path failurePath(Cell cell) {
    return dir.resolve(cell.key() + ".failed.json");
  }

  /**
   * The stored result of a cell, if it finished with the same settings. A stored result with other
   * settings is an error rather than silently mixed in or overwritten.
   */
  public Optional<CellResult> finished(Cell cell, String fingerprint) {
    Path p = path(cell);
    if (!Files.isRegularFile(p)) {
      return Optional.empty();
    }
    CellResult r = read(p);
    if (!r.fingerprint().equals(fingerprint)) {
      throw new MedsslException(p + ": was computed with other settings (" + r.settings() + "); use another --out,"
          + " or delete the cells to recompute them");
    }
    return Optional.of(r);
  }

  /** The stored result of a cell whatever its settings, if there is one. */
  public Optional<CellResult> stored(Cell cell) {
    Path p = path(cell);
    return Files.isRegularFile(p) ? Optional.of(read(p)) : Optional.empty();
  }

  /** Writes a finished cell; an earlier failure of the same cell is then obsolete and removed. */
  public void write(CellResult r) {
    AtomicFiles.writeString(path(r.cell()), pretty(toJson(r)));
    deleteIfExists(failurePath(r.cell()));
  }

  /** The stored failure of a cell, if it failed with the same settings (a failure with other settings is retried). */
  public Optional<CellFailure> failed(Cell cell, String fingerprint) {
    Path p = failurePath(cell);
    if (!Files.isRegularFile(p)) {
      return Optional.empty();
    }
    try {
      JsonNode o = JSON.readTree(Files.readString(p));
      CellFailure f = new CellFailure(cell, o.path("fingerprint").asText(), o.path("settings").asText(),
          o.path("error").asText(), o.path("medsslVersion").asText(), o.path("precision").asText(),
          o.path("engine").asText(), o.path("configSha").asText(), o.path("failedAt").asText());
      return f.fingerprint().equals(fingerprint) ? Optional.of(f) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // an unreadable failure record is no reason not to try the cell again
    }
  }

  public void writeFailure(CellFailure f) {
    ObjectNode o = JSON.createObjectNode();
    o.put("key", f.cell().key());
    o.put("status", "failed");
    o.put("method", f.cell().method());
    o.put("labeled", f.cell().labeled());
    o.put("seed", f.cell().seed());
    o.put("error", f.error());
    o.put("fingerprint", f.fingerprint());
    o.put("settings", f.settings());
    o.put("medsslVersion", f.medsslVersion());
    o.put("precision", f.precision());
    o.put("engine", f.engine());
    o.put("configSha", f.configSha());
    o.put("failedAt", f.failedAt());
    AtomicFiles.writeString(failurePath(f.cell()), pretty(o));
  }

  private static String pretty(ObjectNode o) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteIfExists(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new MedsslException(p + ": cannot remove the obsolete failure record: " + e.getMessage(), e);
    }
  }

  public static CellResult read(Path p) {
    try {
      return fromJson(JSON.readTree(Files.readString(p)));
    } catch (IOException | RuntimeException e) {
      throw new MedsslException(p + ": unreadable cell result (" + e.getMessage() + "); delete it to recompute the cell", e);
    }
  }

  public static ObjectNode toJson(CellResult r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("key", r.cell().key());
    o.put("method", r.cell().method());
    o.put("labeled", r.cell().labeled());
    o.put("seed", r.cell().seed());
    o.put("init", r.init());
    o.put("fingerprint", r.fingerprint());
    o.put("settings", r.settings());
    o.put("medsslVersion", r.medsslVersion());
    o.put("precision", r.precision());
    o.put("configSha", r.configSha());
    o.put("finishedAt", r.finishedAt());
    if (r.threads() > 0) {
      o.put("threads", r.threads());
    }
    r.trainSubjects().forEach(o.putArray("trainSubjects")::add);
    o.set("finetune", finetune(r.finetune()));
    o.put("evaluationSeconds", r.evaluationSeconds());
    ArrayNode test = o.putArray("test");
    for (TestMetrics m : r.test()) {
      ObjectNode t = test.addObject();
      t.put("subject", m.subject());
      t.put("class", m.className());
      number(t, "dice", m.dice());
      number(t, "iou", m.iou());
      number(t, "hdMm", m.hdMm());
      number(t, "hd95Mm", m.hd95Mm());
      number(t, "assdMm", m.assdMm());
    }
    if (r.tuning().tuned()) {
      o.set("tuning", tuning(r.tuning()));
    }
    return o;
  }

  /** Written only for cells that tuned, so other cells' files are as before. */
  private static ObjectNode tuning(LearningRateTuning t) {
    ObjectNode o = JSON.createObjectNode();
    o.put("chosenLearningRate", t.chosenLearningRate());
    ArrayNode candidates = o.putArray("candidates");
    for (LearningRateTuning.Candidate c : t.candidates()) {
      ObjectNode n = candidates.addObject();
      n.put("learningRate", c.learningRate());
      number(n, "bestValidationDice", c.bestValidationDice());
      number(n, "meanTestDice", c.meanTestDice());
    }
    return o;
  }

  private static LearningRateTuning tuning(JsonNode t) {
    if (t == null || t.isMissingNode() || t.isNull()) {
      return LearningRateTuning.NONE; // cells without tuning, and every cell written before it existed
    }
    List<LearningRateTuning.Candidate> candidates = new ArrayList<>();
    t.path("candidates").forEach(c -> candidates.add(new LearningRateTuning.Candidate(c.get("learningRate").asDouble(),
        number(c.get("bestValidationDice")), number(c.get("meanTestDice")))));
    return new LearningRateTuning(t.get("chosenLearningRate").asDouble(), candidates);
  }

  private static ObjectNode finetune(FineTuneResult f) {
    ObjectNode o = JSON.createObjectNode();
    o.put("stepsRun", f.stepsRun());
    o.put("bestStep", f.bestStep());
    number(o, "bestValidationDice", f.bestValidationDice());
    o.put("seconds", f.seconds());
    o.put("stoppedEarly", f.stoppedEarly());
    ArrayNode curve = o.putArray("curve");
    for (FineTuneResult.CurvePoint p : f.curve()) {
      ObjectNode c = curve.addObject();
      c.put("step", p.step());
      number(c, "trainLoss", p.trainLoss());
      number(c, "validationDice", p.validationDice());
    }
    return o;
  }

  /** JSON has no NaN: missing values are null. */
  private static void number(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }

  private static double number(JsonNode n) {
    return n == null || n.isNull() ? Double.NaN : n.asDouble();
  }

  public static CellResult fromJson(JsonNode o) {
    Cell cell = new Cell(o.get("method").asText(), o.get("labeled").asInt(), o.get("seed").asLong());
    List<String> train = new ArrayList<>();
    o.path("trainSubjects").forEach(n -> train.add(n.asText()));
    List<TestMetrics> test = new ArrayList<>();
    o.path("test").forEach(t -> test.add(new TestMetrics(t.get("subject").asText(), t.get("class").asText(),
        number(t.get("dice")), number(t.get("iou")), number(t.get("hdMm")), number(t.get("hd95Mm")),
        number(t.get("assdMm")))));
    return new CellResult(cell, o.get("fingerprint").asText(), o.path("settings").asText(), o.path("init").asText(),
        train, finetune(o.get("finetune")), test, o.path("evaluationSeconds").asDouble(),
        o.path("medsslVersion").asText(), o.path("precision").asText(), o.path("configSha").asText(),
        o.path("finishedAt").asText(), tuning(o.path("tuning")), o.path("threads").asInt(0));
  }

  private static FineTuneResult finetune(JsonNode f) {
    List<FineTuneResult.CurvePoint> curve = new ArrayList<>();
    f.path("curve").forEach(c -> curve.add(new FineTuneResult.CurvePoint(c.get("step").asInt(),
        number(c.get("trainLoss")), number(c.get("validationDice")))));
    return new FineTuneResult(f.get("stepsRun").asInt(), f.get("bestStep").asInt(), number(f.get("bestValidationDice")),
        curve, f.get("seconds").asDouble(), f.get("stoppedEarly").asBoolean());
  }
}
