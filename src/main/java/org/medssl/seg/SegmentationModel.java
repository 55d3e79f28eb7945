package org.medssl.seg;

import org.medssl.Version;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.medssl.MedsslException;
import org.medssl.data.Preprocessing;
import org.medssl.io.ModelFile;
import org.medssl.nn.Dims;
import org.medssl.nn.NormKind;
import org.medssl.nn.UNet;
import org.medssl.nn.UNetConfig;

/**
 * A trained segmentation network with everything {@code predict} needs: architecture,
 * preprocessing, label names and provenance (seed, config, version), saved as one {@link ModelFile}.
 */
public record SegmentationModel(UNet net, Preprocessing preprocessing, List<String> labelNames, ObjectNode provenance)
    implements AutoCloseable {

  public static final String KIND = "segmentation";

  public SegmentationModel {
    labelNames = List.copyOf(labelNames);
    if (labelNames.size() != net.config().classes()) {
      throw new IllegalArgumentException(labelNames.size() + " label names for " + net.config().classes() + " classes");
    }
  }

  public void save(Path path) {
    ObjectNode meta = ModelFile.newMetadata();
    meta.put("kind", KIND);
    meta.put("medsslVersion", Version.current());
    meta.set("architecture", architecture(net.config()));
    ObjectNode pre = meta.putObject("preprocessing");
    pre.put("normalization", preprocessing.normalization());
    pre.put("clipLowPercentile", preprocessing.clipLowPercentile());
    pre.put("clipHighPercentile", preprocessing.clipHighPercentile());
    pre.put("sliceAxis", preprocessing.sliceAxis());
    ArrayNode labels = meta.putArray("labels");
    labelNames.forEach(labels::add);
    meta.set("provenance", provenance);
    new ModelFile(meta, net.weights().snapshot()).write(path);
  }

  public static SegmentationModel load(Path path) {
    ModelFile file = ModelFile.read(path);
    ObjectNode meta = file.metadata();
    if (!KIND.equals(meta.path("kind").asText())) {
      throw new MedsslException(path + ": is a '" + meta.path("kind").asText()
          + "' model, not a segmentation model (fine-tune it first)");
    }
    try {
      UNetConfig cfg = architecture(meta.path("architecture"));
      JsonNode pre = meta.path("preprocessing");
      Preprocessing p = new Preprocessing(pre.path("normalization").asText(), pre.path("clipLowPercentile").asDouble(),
          pre.path("clipHighPercentile").asDouble(), pre.path("sliceAxis").asInt());
      List<String> labels = new ArrayList<>();
      meta.path("labels").forEach(n -> labels.add(n.asText()));
      UNet net = new UNet(cfg, new SplittableRandom(0));
      net.weights().load(file.weights());
      net.train(false);
      ObjectNode prov = meta.path("provenance") instanceof ObjectNode o ? o : ModelFile.newMetadata();
      return new SegmentationModel(net, p, labels, prov);
    } catch (IllegalArgumentException e) {
      throw new MedsslException(path + ": inconsistent model file: " + e.getMessage());
    }
  }

  static ObjectNode architecture(UNetConfig c) {
    ObjectNode a = ModelFile.newMetadata();
    a.put("name", "unet");
    a.put("dims", c.dims().count());
    a.put("inChannels", c.inChannels());
    a.put("classes", c.classes());
    ArrayNode ch = a.putArray("channels");
    for (int v : c.channels()) {
      ch.add(v);
    }
    a.put("norm", c.norm().name().toLowerCase(java.util.Locale.ROOT));
    return a;
  }

  static UNetConfig architecture(JsonNode a) {
    if (!"unet".equals(a.path("name").asText())) {
      throw new IllegalArgumentException("unknown architecture '" + a.path("name").asText() + "'");
    }
    int[] channels = new int[a.path("channels").size()];
    for (int i = 0; i < channels.length; i++) {
      channels[i] = a.path("channels").get(i).asInt();
    }
    return new UNetConfig(Dims.of(a.path("dims").asInt()), a.path("inChannels").asInt(), a.path("classes").asInt(),
        channels, NormKind.parse(a.path("norm").asText()));
  }

  @Override
  public void close() {
    net.close();
  }
}
