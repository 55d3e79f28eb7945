package org.medssl.study.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.medssl.MedsslException;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.data.PreprocessingOptions;
import org.medssl.data.phantom.PhantomConfig;
import org.medssl.nn.DecoderKind;
import org.medssl.nn.Dims;
import org.medssl.nn.EncoderKind;
import org.medssl.nn.NormKind;
import org.medssl.seg.SegLoss;
import org.medssl.ssl.MethodOption;
import org.medssl.ssl.MethodOptions;
import org.medssl.ssl.PretextMethods;
import org.medssl.ssl.PretrainConfig;

/**
 * Reads a study config from YAML. Unknown keys are errors (a typo must not silently fall back to a
 * default), and every error is one line naming the file and the key. See {@code studies/*.yaml}
 * and the README for the format.
 */
public final class StudyYaml {
  private static final YAMLMapper YAML = new YAMLMapper();
  /** The pretraining loop's keys; each registered method option is a key too ({@link #pretrainKeys}). */
  private static final List<String> LOOP_KEYS = List.of("steps", "epochs", "batch", "seed", "seeds", "optimizer",
      "learningRate");

  private StudyYaml() {}

  /** Reads a config file; a relative {@code dataset.path} is resolved against the file's directory. */
  public static StudyConfig read(Path file) {
    try {
      return parse(Files.readString(file), file.toString(), file.toAbsolutePath().getParent());
    } catch (NoSuchFileException e) {
      throw new MedsslException(file + ": does not exist");
    } catch (IOException e) {
      throw new MedsslException(file + ": cannot read: " + e.getMessage());
    }
  }

  /** Reads a config shipped in the jar, e.g. {@code studies/demo.yaml}. */
  public static StudyConfig resource(String name) {
    try (InputStream in = StudyYaml.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "resource " + name, Path.of("."));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read resource " + name, e);
    }
  }

  /** Parses config text; {@code source} names it in error messages. */
  public static StudyConfig parse(String text, String source, Path baseDir) {
    Node root = new Node(tree(text, source), "", source);
    try {
      return config(root, text, source, baseDir);
    } catch (MedsslException e) {
      if (e.getMessage().startsWith(source + ":")) {
        throw e;
      }
      // Record validation knows the key, not the file: add it.
      throw new MedsslException(source + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode tree(String text, String source) {
    try {
      JsonNode n = YAML.readTree(text);
      if (n == null || !n.isObject()) {
        throw new MedsslException(source + ": expected a YAML mapping (name:, dataset:, inits:, ...)");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new MedsslException(source + ": malformed YAML at line " + e.getLocation().getLineNr() + ": "
          + e.getOriginalMessage().replace('\n', ' '));
    }
  }

  private static StudyConfig config(Node root, String text, String source, Path baseDir) {
    root.allow("name", "dataset", "pretraining", "inits", "labeled", "seeds", "finetune", "reference", "noiseFloor",
        "precision");
    root.child("pretraining").allow(pretrainKeys().toArray(String[]::new));
    PretrainSettings defaults = pretrain(root.child("pretraining"), PretrainSettings.defaults());
    List<InitSpec> inits = new ArrayList<>();
    for (Node n : root.required("inits").elements()) {
      inits.add(init(n, defaults, baseDir));
    }
    List<Budget> budgets = new ArrayList<>();
    root.required("labeled").elements().forEach(n -> budgets.add(budget(n)));
    List<Long> seeds = new ArrayList<>();
    root.required("seeds").elements().forEach(n -> seeds.add(n.asLong()));
    return new StudyConfig(root.text("name", "study"), dataset(root.required("dataset"), baseDir), inits, budgets,
        seeds, finetune(root.child("finetune")), root.bool("reference", true), root.bool("noiseFloor", false),
        root.text("precision", "auto").toLowerCase(Locale.ROOT), source, text);
  }

  private static DatasetSource dataset(Node n, Path baseDir) {
    n.allow("path", "phantom", "fetch", "channel", "spacing", "ctWindow", "replaceNonFinite");
    int sources = (n.has("path") ? 1 : 0) + (n.has("phantom") ? 1 : 0) + (n.has("fetch") ? 1 : 0);
    if (sources != 1) {
      throw n.error("give exactly one of 'path' (a dataset directory), 'phantom' (generate one) or 'fetch' (colin27)");
    }
    PreprocessingOptions prep = preprocessing(n);
    if (n.has("path")) {
      return new DatasetSource.Directory(baseDir.resolve(n.text("path", null)), n.text("channel", null), prep);
    }
    if (n.has("channel")) {
      throw n.error("'channel' chooses among a dataset's input channels; phantoms and colin27 have one");
    }
    if (n.has("fetch")) {
      return new DatasetSource.Fetched(n.text("fetch", null), prep);
    }
    Node p = n.child("phantom");
    p.allow("subjects", "unlabeled", "seed", "version");
    int version = p.integer("version", 1);
    if (version < 1 || version > PhantomConfig.LATEST_VERSION) {
      throw p.error("'version' must be 1 or " + PhantomConfig.LATEST_VERSION + ", got " + version);
    }
    return new DatasetSource.Phantom(p.integer("subjects", 24), p.integer("unlabeled", 72), p.longValue("seed", 1),
        version, prep);
  }

  /** {@code spacing: [2, 2]} (in-plane) or {@code [x, y, z]}; {@code ctWindow: [lo, hi]}; {@code replaceNonFinite}. */
  private static PreprocessingOptions preprocessing(Node n) {
    try {
      return PreprocessingOptions.parse(n.has("spacing") ? join(n.child("spacing")) : null,
          n.has("ctWindow") ? join(n.child("ctWindow")) : null).withReplaceNonFinite(n.bool("replaceNonFinite", false));
    } catch (MedsslException e) {
      throw n.error(e.getMessage().replace("--spacing", "spacing").replace("--ct-window", "ctWindow"));
    }
  }

  /** The keys a pretraining section takes: the loop's and every registered method option. */
  private static List<String> pretrainKeys() {
    List<String> keys = new ArrayList<>(LOOP_KEYS);
    PretextMethods.allOptions().forEach(o -> keys.add(o.name()));
    return keys;
  }

  /** The method options a section sets over {@code defaults}; each value is checked by its option. */
  private static MethodOptions methodOptions(Node n, MethodOptions defaults) {
    MethodOptions out = defaults;
    for (MethodOption<?> o : PretextMethods.allOptions()) {
      if (n.has(o.name())) {
        String text = o.kind() == MethodOption.Kind.BOOLEAN ? String.valueOf(n.bool(o.name(), false))
            : n.text(o.name(), null);
        try {
          out = out.withText(o, text);
        } catch (MedsslException e) {
          throw n.child(o.name()).error(e.getMessage().replaceFirst("^pretraining: ", ""));
        }
      }
    }
    return out;
  }

  private static String join(Node list) {
    List<String> parts = new ArrayList<>();
    list.elements().forEach(e -> parts.add(e.node.asText()));
    return String.join(",", parts);
  }

  private static PretrainSettings pretrain(Node n, PretrainSettings d) {
    if (n.isMissing()) {
      return d;
    }
    MethodOptions options = methodOptions(n, d.options());
    Double lr = d.learningRate();
    if (n.has("learningRate")) {
      lr = n.number("learningRate", 0); // not a ternary: double/Double would unbox a null default
    }
    PretrainConfig.OptimizerKind opt = n.has("optimizer")
        ? n.parse("optimizer", PretrainConfig.OptimizerKind::parse) : d.optimizer();
    if (n.has("steps") && n.has("epochs")) {
      throw n.error("give one of 'steps' or 'epochs' (passes over the pretraining pool), not both");
    }
    if (n.has("seed") && n.has("seeds")) {
      throw n.error("give one of 'seed' or 'seeds' (one pretraining per seed), not both");
    }
    int steps = n.has("epochs") ? 0 : n.integer("steps", d.steps());
    int epochs = n.has("steps") ? 0 : n.integer("epochs", d.epochs());
    List<Long> seeds = new ArrayList<>();
    if (n.has("seeds")) {
      n.child("seeds").elements().forEach(e -> seeds.add(e.asLong()));
    } else {
      seeds.addAll(n.has("seed") ? List.of(n.longValue("seed", 0)) : d.seeds());
    }
    return new PretrainSettings(steps, epochs, n.integer("batch", d.batch()), seeds, opt, lr, options);
  }

  private static InitSpec init(Node n, PretrainSettings defaults, Path baseDir) {
    if (n.node.isTextual()) {
      String v = n.node.asText();
      return isRandom(v) ? InitSpec.random(v) : new InitSpec(v, v, null, defaults, List.of());
    }
    Set<String> keys = new HashSet<>(pretrainKeys());
    keys.addAll(List.of("name", "method", "from", "lengths", "file"));
    n.allow(keys.toArray(String[]::new));
    if (n.has("file")) { // a weight file (.medssl, PyTorch, safetensors), relative to the config
      Path file = baseDir.resolve(n.text("file", "")).normalize();
      if (n.has("method") || n.has("from") || n.has("lengths")) {
        throw n.error("'file' initialises from weights, so 'method', 'from' and 'lengths' make no sense");
      }
      return InitSpec.file(n.text("name", DatasetSpec.caseId(file).replaceFirst("\\.(pt|pth|ckpt|safetensors|medssl|bin)$",
          "")), file);
    }
    String method = n.text("method", "random");
    String name = n.text("name", method);
    if (isRandom(method)) {
      if (n.has("from") || n.has("lengths")) {
        throw n.error("'" + name + "' is a random init, so 'from' and 'lengths' make no sense");
      }
      return InitSpec.random(name);
    }
    List<Integer> lengths = new ArrayList<>();
    n.child("lengths").elements().forEach(e -> lengths.add(e.asInt()));
    return new InitSpec(name, method, n.text("from", null), pretrain(n, defaults), lengths);
  }

  private static Dims dims(Node n, Dims fallback) {
    int v = n.integer("dims", fallback.count());
    if (v != 2 && v != 3) {
      throw n.child("dims").error("expected 2 (slices) or 3 (volumes), got " + v);
    }
    return Dims.of(v);
  }

  private static List<Integer> integers(Node list) {
    List<Integer> out = new ArrayList<>();
    list.elements().forEach(e -> out.add(e.asInt()));
    return out;
  }

  private static boolean isRandom(String method) {
    return method.equals("random") || method.equals("none");
  }

  private static Budget budget(Node n) {
    if (n.node.isIntegralNumber()) {
      return Budget.ofCount(n.asInt());
    }
    if (n.node.isNumber()) {
      return Budget.ofFraction(n.node.asDouble());
    }
    throw n.error("expected a subject count (e.g. 4) or a fraction of the pool (e.g. 0.5), got '" + n.node.asText() + "'");
  }

  private static FineTuneSettings finetune(Node n) {
    FineTuneSettings d = FineTuneSettings.defaults();
    if (n.isMissing()) {
      return d;
    }
    n.allow("steps", "batch", "learningRate", "loss", "channels", "norm", "validation", "validateEvery", "patience",
        "augment", "dims", "encoder", "decoder", "patch", "encoderLrScale", "frozenEncoderSteps", "tune");
    List<Integer> channels = new ArrayList<>();
    if (n.has("channels")) {
      n.child("channels").elements().forEach(e -> channels.add(e.asInt()));
    } else {
      channels.addAll(d.channels());
    }
    return new FineTuneSettings(n.integer("steps", d.steps()), n.integer("batch", d.batch()),
        n.number("learningRate", d.learningRate()), n.has("loss") ? n.parse("loss", SegLoss::parse) : d.loss(),
        channels, n.has("norm") ? n.parse("norm", NormKind::parse) : d.norm(), n.integer("validation", d.validation()),
        n.integer("validateEvery", d.validateEvery()), n.integer("patience", d.patience()), n.bool("augment", d.augment()),
        dims(n, d.dims()),
        n.has("encoder") ? n.parse("encoder", EncoderKind::parse) : d.encoder(),
        n.has("decoder") ? n.parse("decoder", DecoderKind::parse) : d.decoder(), integers(n.child("patch")),
        n.number("encoderLrScale", d.encoderLrScale()), n.integer("frozenEncoderSteps", d.frozenEncoderSteps()),
        tune(n.child("tune")));
  }

  /** {@code tune: {learningRate: [0.001, 0.002, 0.005]}}: the candidates each cell picks among. */
  private static List<Double> tune(Node n) {
    if (n.isMissing()) {
      return List.of();
    }
    n.allow("learningRate");
    List<Double> out = new ArrayList<>();
    for (Node e : n.required("learningRate").elements()) {
      out.add(e.asNumber());
    }
    if (out.isEmpty()) {
      throw n.child("learningRate").error("list at least one candidate learning rate, e.g. [0.001, 0.002, 0.005]");
    }
    return out;
  }

  /** A YAML node with its key path, for error messages that say where the problem is. */
  private record Node(JsonNode node, String path, String source) {
    boolean isMissing() {
      return node == null || node.isMissingNode() || node.isNull();
    }

    boolean has(String key) {
      return !isMissing() && node.has(key) && !node.get(key).isNull();
    }

    Node child(String key) {
      return new Node(isMissing() ? null : node.get(key), where(key), source);
    }

    Node required(String key) {
      Node c = child(key);
      if (c.isMissing()) {
        throw error("missing '" + key + "'");
      }
      return c;
    }

    List<Node> elements() {
      if (isMissing()) {
        return List.of();
      }
      if (!node.isArray()) {
        throw error("expected a list, e.g. [1, 2, 4]");
      }
      List<Node> out = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        out.add(new Node(node.get(i), path + "[" + i + "]", source));
      }
      return out;
    }

    void allow(String... keys) {
      if (isMissing()) {
        return;
      }
      if (!node.isObject()) {
        throw error("expected a mapping with keys " + String.join(", ", keys));
      }
      Set<String> allowed = Set.of(keys);
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!allowed.contains(k)) {
          throw child(k).error("unknown key; expected one of " + String.join(", ", List.of(keys).stream().sorted().toList()));
        }
      }
    }

    String text(String key, String fallback) {
      if (!has(key)) {
        return fallback;
      }
      JsonNode v = node.get(key);
      if (!v.isValueNode()) {
        throw child(key).error("expected a single value");
      }
      return v.asText();
    }

    boolean bool(String key, boolean fallback) {
      String t = text(key, null);
      if (t == null) {
        return fallback;
      }
      return switch (t.toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on" -> true;
        case "false", "no", "off" -> false;
        default -> throw child(key).error("expected true or false, got '" + t + "'");
      };
    }

    double number(String key, double fallback) {
      String t = text(key, null);
      if (t == null) {
        return fallback;
      }
      try {
        return Double.parseDouble(t); // YAML 1.1 reads 1e-3 (no dot) as a string; accept it as a number.
      } catch (NumberFormatException e) {
        throw child(key).error("expected a number, got '" + t + "'");
      }
    }

    double asNumber() {
      if (isMissing() || !node.isValueNode()) {
        throw error("expected a number");
      }
      try {
        return Double.parseDouble(node.asText()); // YAML 1.1 reads 1e-3 as text
      } catch (NumberFormatException e) {
        throw error("expected a number, got '" + node.asText() + "'");
      }
    }

    int integer(String key, int fallback) {
      return has(key) ? child(key).asInt() : fallback;
    }

    long longValue(String key, long fallback) {
      return has(key) ? child(key).asLong() : fallback;
    }

    int asInt() {
      long v = asLong();
      if (v != (int) v) {
        throw error("out of range: " + v);
      }
      return (int) v;
    }

    long asLong() {
      if (isMissing() || !(node.isIntegralNumber() || node.isTextual() && node.asText().matches("-?\\d+"))) {
        throw error("expected an integer, got '" + (isMissing() ? "" : node.asText()) + "'");
      }
      return node.isIntegralNumber() ? node.asLong() : Long.parseLong(node.asText());
    }

    <T> T parse(String key, java.util.function.Function<String, T> parser) {
      try {
        return parser.apply(text(key, null));
      } catch (MedsslException e) {
        // The parsers name a command-line flag; point at the YAML key instead.
        throw child(key).error(e.getMessage().replaceFirst("^(--)?[a-z-]+: ", ""));
      }
    }

    private String where(String key) {
      return path.isEmpty() ? key : path + "." + key;
    }

    MedsslException error(String message) {
      return new MedsslException(source + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }
  }
}
