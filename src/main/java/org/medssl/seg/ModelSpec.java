package org.medssl.seg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.medssl.MedsslException;
import org.medssl.data.PatchSize;
import org.medssl.data.Preprocessing;
import org.medssl.io.model.ModelFile;
import org.medssl.nn.ArchitectureJson;
import org.medssl.nn.Dims;
import org.medssl.nn.SegNetConfig;
import org.medssl.tensor.TensorData;

/**
 * What a segmentation model file says about itself (architecture, preprocessing, labels,
 * provenance, and for 3D models the sliding window it infers with), read and checked without
 * building the network: a file that lies about its architecture is refused here, before any
 * native memory is allocated for it.
 *
 * @param window the patch and overlap of a 3D model's sliding window; null for 2D models, which
 *     infer slice by slice (files written before 3D existed have none)
 */
public record ModelSpec(SegNetConfig architecture, Preprocessing preprocessing, List<String> labelNames,
    ObjectNode provenance, SlidingWindow window) {

  public static final String KIND = "segmentation";
  /** Far above any network that trains on a CPU; a bound so a corrupt header cannot ask for terabytes. */
  static final String SLIDING_WINDOW = "sliding-window";

  public ModelSpec {
    labelNames = List.copyOf(labelNames);
    if ((window != null) != (architecture.dims() == Dims.THREE)) {
      throw new IllegalArgumentException("3D models infer with a sliding window and 2D models without");
    }
  }

  /** Checks the metadata of {@code file} (read from {@code path}) and its weights' total size against it. */
  public static ModelSpec of(Path path, ModelFile file) {
    ObjectNode meta = file.metadata();
    if (!KIND.equals(meta.path("kind").asText())) {
      throw new MedsslException(path + ": is a '" + meta.path("kind").asText()
          + "' model, not a segmentation model (fine-tune it first)");
    }
    try {
      SegNetConfig cfg = ArchitectureJson.read(meta.path("architecture"));
      List<String> labels = new ArrayList<>();
      meta.path("labels").forEach(n -> labels.add(n.asText()));
      if (labels.size() != cfg.classes()) {
        throw new IllegalArgumentException(labels.size() + " label names for " + cfg.classes() + " classes");
      }
      checkWeightVolume(cfg, file.weights());
      ObjectNode prov = meta.path("provenance") instanceof ObjectNode o ? o : ModelFile.newMetadata();
      return new ModelSpec(cfg, preprocessing(meta.path("preprocessing")), labels, prov, window(meta.path("inference"), cfg));
    } catch (IllegalArgumentException | MedsslException e) {
      throw new MedsslException(path + ": inconsistent model file: " + e.getMessage(), e);
    }
  }

  /** The metadata part of a model file. */
  public ObjectNode toMetadata(String version) {
    ObjectNode meta = ModelFile.newMetadata();
    meta.put("kind", KIND);
    meta.put("medsslVersion", version);
    meta.set("architecture", ArchitectureJson.of(architecture));
    ObjectNode pre = meta.putObject("preprocessing");
    pre.put("normalization", preprocessing.normalization());
    pre.put("low", preprocessing.low());
    pre.put("high", preprocessing.high());
    pre.put("canonical", preprocessing.canonical());
    ArrayNode spacing = pre.putArray("spacingMm");
    for (double s : preprocessing.spacingMm()) {
      spacing.add(s);
    }
    pre.put("sliceAxis", preprocessing.sliceAxis());
    if (preprocessing.volumetric()) { // absent in 2D models and in files written before 3D resampling
      pre.put("volumetric", true);
    }
    ArrayNode labels = meta.putArray("labels");
    labelNames.forEach(labels::add);
    if (window != null) {
      meta.set("inference", inference(window));
    }
    meta.set("provenance", provenance);
    return meta;
  }

  static ObjectNode inference(SlidingWindow w) {
    ObjectNode n = ModelFile.newMetadata();
    n.put("method", SLIDING_WINDOW);
    ArrayNode patch = n.putArray("patch");
    for (int v : w.patch().toArray()) {
      patch.add(v);
    }
    n.put("overlap", w.overlap());
    return n;
  }

  /** The sliding window of a 3D model, checked against its architecture; 2D models have none. */
  static SlidingWindow window(JsonNode n, SegNetConfig cfg) {
    if (cfg.dims() == Dims.TWO) {
      if (!n.isMissingNode()) {
        throw new IllegalArgumentException("inference settings are for 3D models, but the architecture is 2D");
      }
      return null;
    }
    if (!SLIDING_WINDOW.equals(n.path("method").asText())) {
      throw new IllegalArgumentException("a 3D model needs inference.method '" + SLIDING_WINDOW + "', got "
          + n.path("method"));
    }
    JsonNode list = n.path("patch");
    if (!list.isArray() || list.size() != 3) {
      throw new IllegalArgumentException("inference.patch must be a list of 3 sizes (d, h, w), got " + list);
    }
    int[] v = new int[3];
    for (int i = 0; i < 3; i++) {
      v[i] = bounded("inference.patch", list.get(i), PatchSize.MAX_SIDE);
    }
    PatchSize patch = new PatchSize(v[0], v[1], v[2]);
    int factor = cfg.backbone().downsamplingFactor();
    if (!patch.divisibleBy(factor)) {
      throw new IllegalArgumentException("inference.patch " + patch + " is not divisible by the network's downsampling"
          + " factor " + factor);
    }
    JsonNode overlap = n.path("overlap");
    if (!overlap.isNumber()) {
      throw new IllegalArgumentException("inference.overlap must be a number in [0, " + SlidingWindow.MAX_OVERLAP
          + "], got " + overlap);
    }
    return new SlidingWindow(patch, overlap.asDouble());
  }

  private static Preprocessing preprocessing(JsonNode pre) {
    if (!pre.has("canonical")) { // written before reorientation and resampling existed
      return Preprocessing.legacy(pre.path("clipLowPercentile").asDouble(), pre.path("clipHighPercentile").asDouble(),
          pre.path("sliceAxis").asInt(-1));
    }
    JsonNode s = pre.path("spacingMm");
    double[] spacing = s.isArray() && s.size() == 3
        ? new double[] {s.get(0).asDouble(-1), s.get(1).asDouble(-1), s.get(2).asDouble(-1)} : new double[] {-1, -1, -1};
    return new Preprocessing(pre.path("normalization").asText(), pre.path("low").asDouble(Double.NaN),
        pre.path("high").asDouble(Double.NaN), pre.path("canonical").asBoolean(), spacing, pre.path("sliceAxis").asInt(-1),
        pre.path("volumetric").asBoolean(false));
  }

  private static int bounded(String what, JsonNode n, int max) {
    if (n == null || !n.canConvertToInt() || n.asInt() < 1 || n.asInt() > max) {
      throw new IllegalArgumentException(what + " must be an integer in 1.." + max + ", got " + n);
    }
    return n.asInt();
  }

  /**
   * Every convolution from stage i-1 to stage i has at least c(i-1)·c(i) weights, so a file whose
   * weights hold fewer numbers cannot belong to this architecture; refusing it keeps the network
   * that would be built no larger than a small multiple of the file.
   */
  private static void checkWeightVolume(SegNetConfig cfg, Map<String, TensorData> weights) {
    int[] c = cfg.channels();
    long lowerBound = (long) cfg.inChannels() * c[0];
    for (int i = 1; i < c.length; i++) {
      lowerBound += (long) c[i - 1] * c[i];
    }
    long present = weights.values().stream().mapToLong(w -> w.values().length).sum();
    if (present < lowerBound) {
      throw new IllegalArgumentException("its weights hold " + present + " numbers, fewer than the " + lowerBound
          + " the architecture needs at least");
    }
  }
}
