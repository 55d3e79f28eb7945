package org.medssl.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * The {@code architecture} object of model files, written and read in one place: the backbone
 * (what a pretraining's weights fit) and, for segmentation models, the decoder, input channels and
 * classes. Reading checks every number before a network is built from it.
 */
public final class ArchitectureJson {
  /** The most channels a stage may have in a file we read; no network of ours comes close. */
  public static final int MAX_CHANNELS = 2048;

  private ArchitectureJson() {}

  /** The network a pretraining's weights fit: name, dims, encoder, stage channels, norm. */
  public static ObjectNode of(Backbone b) {
    ObjectNode a = JsonNodeFactory.instance.objectNode();
    a.put("name", "unet");
    a.put("dims", b.dims().count());
    a.put("encoder", b.encoder().label());
    ArrayNode ch = a.putArray("channels");
    for (int c : b.channels()) {
      ch.add(c);
    }
    a.put("norm", b.norm().name().toLowerCase(Locale.ROOT));
    return a;
  }

  /** A segmentation network: its backbone, decoder, input channels and classes. */
  public static ObjectNode of(SegNetConfig c) {
    ObjectNode a = of(c.backbone());
    a.put("decoder", c.decoder().label());
    a.put("inChannels", c.inChannels());
    a.put("classes", c.classes());
    return a;
  }

  /**
   * The segmentation network a file describes; files written before other encoders and decoders
   * existed are U-Nets.
   *
   * @throws IllegalArgumentException naming the field that is missing or out of range
   */
  public static SegNetConfig read(JsonNode a) {
    if (!"unet".equals(a.path("name").asText())) {
      throw new IllegalArgumentException("unknown architecture '" + a.path("name").asText() + "'");
    }
    JsonNode list = a.path("channels");
    if (!list.isArray()) {
      throw new IllegalArgumentException("architecture.channels is not a list");
    }
    int[] channels = new int[list.size()];
    for (int i = 0; i < channels.length; i++) {
      channels[i] = bounded("architecture.channels", list.get(i), MAX_CHANNELS);
    }
    Backbone backbone = new Backbone(Dims.of(a.path("dims").asInt()), EncoderKind.parse(a.path("encoder").asText("unet")),
        channels, NormKind.parse(a.path("norm").asText()));
    return new SegNetConfig(backbone, DecoderKind.parse(a.path("decoder").asText("unet")),
        bounded("architecture.inChannels", a.path("inChannels"), 64), bounded("architecture.classes", a.path("classes"), 1000));
  }

  private static int bounded(String what, JsonNode n, int max) {
    if (n == null || !n.canConvertToInt() || n.asInt() < 1 || n.asInt() > max) {
      throw new IllegalArgumentException(what + " must be an integer in 1.." + max + ", got " + n);
    }
    return n.asInt();
  }
}
