package org.medssl.ssl;

import org.medssl.nn.Dims;
import org.medssl.nn.Backbone;
import org.medssl.nn.WeightFiles;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.medssl.data.DatasetCheck;
import org.medssl.data.DatasetLoader;
import org.medssl.data.InputChannel;
import org.medssl.data.PretrainImages;
import org.medssl.data.VolumePool;
import org.medssl.data.Preprocessing;
import org.medssl.image.CropPad;
import org.medssl.io.DatasetLayouts;
import org.medssl.io.DatasetSpec;
import org.medssl.io.AtomicFiles;
import org.medssl.io.Checkpoint;
import org.medssl.io.ModelFile;
import org.medssl.Version;
import org.medssl.tensor.Optimizer;
import org.medssl.tensor.TransferReport;
import org.medssl.MedsslException;

/**
 * One pretraining on a dataset directory: the images of the training and unlabeled subjects
 * (never the test subjects), an optional earlier pretraining to continue from (hierarchical
 * pretraining), the method's loop, and a {@code .medssl} file of kind "pretrained".
 *
 * @param channel the input channel of a multi-channel dataset, by name or index; null for channel 0
 */
public record PretrainJob(Path dataDir, String method, Backbone backbone, PretextMethods.Options options, Path init,
    PretrainConfig config, String channel) {

  public PretrainJob {
    InputChannel.requireOne(channel);
    PretextMethods.requireDims(method, backbone.dims()); // before any data is read
  }

  /** A job reading channel 0 of multi-channel data. */
  public PretrainJob(Path dataDir, String method, Backbone backbone, PretextMethods.Options options, Path init,
      PretrainConfig config) {
    this(dataDir, method, backbone, options, init, config, null);
  }

  public static final String KIND = "pretrained";

  /** What the job produced. */
  public record Outcome(PretrainResult result, int images, TransferReport transfer) {}

  /**
   * Checkpoints go beside the output ({@code <out>.ckpt}) every {@code every} steps and at stage
   * ends; with {@code resume}, a checkpoint of the same job is continued instead of starting over.
   */
  public record Checkpoints(int every, boolean resume) {
    public static final int DEFAULT_EVERY = 100;

    public Checkpoints {
      if (every < 1) {
        throw new MedsslException("--checkpoint-every must be at least 1, got " + every);
      }
    }
  }

  public static Path checkpointPath(Path out) {
    return out.resolveSibling(out.getFileName() + ".ckpt");
  }

  public Outcome run(Path out, Pretrainer.Listener listener, Consumer<String> log, IntConsumer loadProgress) {
    return run(out, listener, log, loadProgress, new Checkpoints(Checkpoints.DEFAULT_EVERY, false));
  }

  /** As below, with the default pool budget and spilling beside {@code out}. */
  public Outcome run(Path out, Pretrainer.Listener listener, Consumer<String> log, IntConsumer loadProgress,
      Checkpoints checkpoints) {
    return run(out, listener, log, loadProgress, checkpoints, VolumePool.Budget.of(null, spillDir(out)));
  }

  /** Where a pool too large for its heap budget is spilled by default: beside the output, on its disk. */
  public static Path spillDir(Path out) {
    Path parent = out.toAbsolutePath().getParent();
    return parent == null ? Path.of(".") : parent;
  }

  /**
   * @param pool how much of the pretraining pool the heap holds; the rest is memory-mapped from a
   *     spill file (the images and so the result are the same either way)
   */
  public Outcome run(Path out, Pretrainer.Listener listener, Consumer<String> log, IntConsumer loadProgress,
      Checkpoints checkpoints, VolumePool.Budget pool) {
    try (VolumePool volumes = new VolumePool(pool)) {
      return pretrain(out, listener, log, loadProgress, checkpoints, volumes);
    }
  }

  private Outcome pretrain(Path out, Pretrainer.Listener listener, Consumer<String> log, IntConsumer loadProgress,
      Checkpoints checkpoints, VolumePool volumes) {
    DatasetSpec spec = DatasetLayouts.open(dataDir, channel);
    if (spec.training().isEmpty() && spec.unlabeled().isEmpty()) {
      throw new MedsslException(dataDir + ": " + spec.layout() + " has no training or unlabeled images to pretrain on"
          + " (test images are never used)");
    }
    DatasetCheck.beforeTraining(spec, log);
    InputChannel.describe(spec).ifPresent(log);
    List<DatasetSpec.Case> cases = poolCases(spec);
    Preprocessing pre = config.preprocessing().resolve(spec.modality(),
        backbone.dims() == Dims.THREE);
    DatasetLoader loader = new DatasetLoader(pre, spec.labelNames().size(), config.preprocessing().replaceNonFinite());
    loader.forEach(cases, loadProgress, subject -> volumes.add(subject.image()));
    loader.replacements().ifPresent(log);
    if (volumes.spilled()) {
      log.accept("pretraining pool: " + volumes.describe());
    }
    PretrainImages slices = new PretrainImages(volumes, pre.sliceAxis());
    int images = slices.size();
    int[] size = inputSize(slices);
    Path ckpt = checkpointPath(out);
    AtomicFiles.removeLeftovers(ckpt); // a kill during a checkpoint write leaves its temp file
    AtomicFiles.removeLeftovers(out);
    // No tau given: the EMA's start is sized to this run's length (PretextMethods.budgetTau).
    PretextMethods.Options resolved = options.withTau0(PretextMethods.tau(method, options, config.steps()));
    try (PretextMethod m = PretextMethods.create(method, backbone, resolved, new SplittableRandom(config.seed()))) {
      TransferReport transfer = init == null ? null : initialise(m, log);
      Pretrainer.Resume resume = resumeFrom(ckpt, m, checkpoints.resume(), log);
      int pool = backbone.dims() == Dims.TWO ? slices.sliceCount() : images;
      log.accept(String.format("pretraining %s on %d images (%d training + %d unlabeled; test subjects excluded): %d"
          + " steps of batch %d = %.2f epochs of %d %s", method, images, spec.training().size(),
          spec.unlabeled().size(), config.steps(), config.batch(), config.steps() * (double) config.batch() / pool, pool,
          backbone.dims() == Dims.TWO ? "slices" : "volumes"));
      Pretrainer.Checkpointing checkpointing = new Pretrainer.Checkpointing(checkpoints.every(),
          (step, seconds, curve, warnings, opt) -> writeCheckpoint(ckpt, m, step, seconds, curve, warnings, opt),
          resume);
      PretrainResult result = new Pretrainer(config).run(m, slices, size, listener, checkpointing);
      save(m, pre, resolved, result, images, out, spec);
      deleteCheckpoint(ckpt);
      return new Outcome(result, images, transfer);
    }
  }

  /** The cases a pretraining draws from: the training subjects' images and the unlabeled ones. */
  private static List<DatasetSpec.Case> poolCases(DatasetSpec spec) {
    List<DatasetSpec.Case> cases = new ArrayList<>();
    spec.training().forEach(c -> cases.add(c.withoutLabel()));
    cases.addAll(spec.unlabeled());
    return cases;
  }

  /** Steps of one pass over a pool of {@code pool} images at {@code batch}, rounded up. */
  public static int stepsPerEpoch(int pool, int batch) {
    return Math.max(1, (pool + batch - 1) / batch);
  }

  /**
   * The size of the pretraining pool, from the image headers alone: the number of slices along the
   * slice axis after preprocessing (2D), or of volumes (3D). An epoch is this many images.
   */
  public static int poolSize(DatasetSpec spec, Preprocessing pre, org.medssl.nn.Dims dims) {
    List<DatasetSpec.Case> cases = poolCases(spec);
    if (dims != Dims.TWO) {
      return cases.size();
    }
    int slices = 0;
    for (DatasetSpec.Case c : cases) {
      slices += org.medssl.image.Slices.count(pre.targetGrid(org.medssl.io.NiftiReader.readHeader(c.image()).grid()),
          pre.sliceAxis());
    }
    return slices;
  }

  /**
   * The network input: whole slices padded to the downsampling factor in 2D, the configured patch
   * in 3D (views are cropped from anywhere in the volume, so it must fit the factor exactly).
   */
  private int[] inputSize(PretrainImages slices) {
    int factor = backbone.downsamplingFactor();
    if (backbone.dims() == Dims.TWO) {
      int[] hw = slices.sliceShape();
      return new int[] {CropPad.roundUp(hw[0], factor), CropPad.roundUp(hw[1], factor)};
    }
    if (config.patch() == null) {
      throw new MedsslException("--patch: a 3D pretraining needs a patch size (depth, height, width)");
    }
    return config.patch().requireDivisibleBy(factor, "--patch").toArray();
  }

  /** What a checkpoint must agree on to be continued: everything that shapes the run. */
  private String settings() {
    return "method=" + method + "; channels=" + java.util.Arrays.toString(backbone.channels()) + "; norm="
        + backbone.norm() + "; options=" + options + "; init=" + init + "; config="
        + config + "; data=" + dataDir.toAbsolutePath().normalize() + (channel == null ? "" : "; channel=" + channel)
        + (backbone.equals(Backbone.unet2d(backbone.channels(), backbone.norm())) ? "" : "; backbone=" + backbone.describe());
  }

  private Pretrainer.Resume resumeFrom(Path ckpt, PretextMethod m, boolean resume, Consumer<String> log) {
    if (!Files.isRegularFile(ckpt)) {
      if (resume) {
        log.accept("no checkpoint at " + ckpt + "; starting from step 0");
      }
      return null;
    }
    if (!resume) {
      log.accept("starting over; the checkpoint " + ckpt + " will be replaced (use --resume to continue it)");
      return null;
    }
    Checkpoint c = Checkpoint.read(ckpt);
    ObjectNode meta = c.metadata();
    if (!settings().equals(meta.path("settings").asText())) {
      throw new MedsslException(ckpt + ": was written by another pretraining (" + meta.path("settings").asText()
          + "); delete it or run without --resume");
    }
    TransferReport r = m.weights().load(c.weights());
    if (!r.fresh().isEmpty() || !r.unused().isEmpty()) {
      throw new MedsslException(ckpt + ": weights do not match the method's (" + r.fresh().size() + " missing, "
          + r.unused().size() + " unknown)");
    }
    List<PretrainResult.LossPoint> curve = new ArrayList<>();
    meta.path("curve").forEach(p -> curve.add(new PretrainResult.LossPoint(p.path("stage").asText(),
        p.path("step").asInt(), p.path("loss").asDouble(), p.path("embeddingStd").asDouble(Double.NaN))));
    List<String> warnings = new ArrayList<>();
    meta.path("warnings").forEach(w -> warnings.add(w.asText()));
    int step = meta.path("step").asInt();
    log.accept("resuming from " + ckpt + " at step " + step + " of " + config.steps());
    return new Pretrainer.Resume(step, meta.path("seconds").asDouble(), curve, warnings, c.optimizer());
  }

  private void writeCheckpoint(Path ckpt, PretextMethod m, int step, double seconds,
      List<PretrainResult.LossPoint> curve, List<String> warnings, Optimizer opt) {
    ObjectNode meta = Checkpoint.newMetadata();
    meta.put("kind", "pretrain-checkpoint");
    meta.put("medsslVersion", Version.current());
    meta.put("settings", settings());
    meta.put("step", step);
    meta.put("seconds", seconds);
    putCurve(meta.putArray("curve"), curve);
    ArrayNode w = meta.putArray("warnings");
    warnings.forEach(w::add);
    new Checkpoint(meta, m.weights().snapshot(), opt == null ? new byte[0] : opt.saveState()).write(ckpt);
  }

  private static void putCurve(ArrayNode out, List<PretrainResult.LossPoint> curve) {
    for (PretrainResult.LossPoint pt : curve) {
      ObjectNode o = out.addObject();
      o.put("stage", pt.stage());
      o.put("step", pt.step());
      o.put("loss", pt.loss());
      if (Double.isFinite(pt.embeddingStd())) {
        o.put("embeddingStd", pt.embeddingStd());
      }
    }
  }

  private static void deleteCheckpoint(Path ckpt) {
    try {
      Files.deleteIfExists(ckpt);
    } catch (IOException e) {
      throw new MedsslException(ckpt + ": cannot remove the finished run's checkpoint: " + e.getMessage(), e);
    }
  }

  private TransferReport initialise(PretextMethod m, Consumer<String> log) {
    TransferReport r = WeightFiles.loadInto(m.weights(), init);
    m.afterInit(r);
    log.accept("continuing from " + init + ": " + WeightFiles.describe(r));
    return r;
  }

  private void save(PretextMethod m, Preprocessing pre, PretextMethods.Options resolved, PretrainResult result,
      int images, Path out, DatasetSpec spec) {
    ObjectNode meta = ModelFile.newMetadata();
    meta.put("kind", KIND);
    meta.put("method", method);
    meta.put("medsslVersion", Version.current());
    ObjectNode arch = meta.putObject("architecture");
    arch.put("name", "unet");
    arch.put("dims", backbone.dims().count());
    arch.put("encoder", backbone.encoder().label());
    ArrayNode ch = arch.putArray("channels");
    for (int c : backbone.channels()) {
      ch.add(c);
    }
    arch.put("norm", backbone.norm().name().toLowerCase(java.util.Locale.ROOT));
    ArrayNode parts = meta.putArray("transfers");
    m.transferredParts().forEach(parts::add);
    ObjectNode p = meta.putObject("provenance");
    p.put("task", "pretrain");
    p.put("method", method);
    p.put("data", dataDir.toString());
    p.put("images", images);
    InputChannel.record(spec, false, p);
    p.put("seed", config.seed());
    p.put("config", config.toString());
    p.put("options", resolved.toString());
    p.put("init", init == null ? "none" : init.toString());
    p.put("steps", result.steps());
    p.put("seconds", result.seconds());
    putCurve(p.putArray("lossCurve"), result.curve());
    ArrayNode warnings = p.putArray("warnings");
    result.warnings().forEach(warnings::add);
    meta.put("preprocessing", pre.toString());
    new ModelFile(meta, m.weights().snapshot()).write(out);
  }
}
