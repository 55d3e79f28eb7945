package org.medssl.ssl;

import org.medssl.nn.Dims;
import org.medssl.nn.Backbone;
import org.medssl.nn.ArchitectureJson;
import org.medssl.nn.WeightFiles;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.medssl.io.dataset.DatasetLayouts;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.io.AtomicFiles;
import org.medssl.io.model.ModelFile;
import org.medssl.Version;
import org.medssl.tensor.Distributed;
import org.medssl.tensor.TransferReport;
import org.medssl.train.DataParallelChecks;
import org.medssl.train.Checkpointer;
import org.medssl.train.TrainingListener;
import org.medssl.MedsslException;

/**
 * One pretraining on a dataset directory: the images of the training and unlabeled subjects
 * (never the test subjects), an optional earlier pretraining to continue from (hierarchical
 * pretraining), the method's loop, and a {@code .medssl} file of kind "pretrained".
 *
 * @param channel the input channel of a multi-channel dataset, by name or index; null for channel 0
 */
public record PretrainJob(Path dataDir, String method, Backbone backbone, MethodOptions options, Path init,
    PretrainConfig config, String channel) {

  public PretrainJob {
    InputChannel.requireOne(channel);
    PretextMethods.requireUsable(method, options, backbone.dims()); // before any data is read
  }

  /** A job reading channel 0 of multi-channel data. */
  public PretrainJob(Path dataDir, String method, Backbone backbone, MethodOptions options, Path init,
      PretrainConfig config) {
    this(dataDir, method, backbone, options, init, config, null);
  }

  public static final String KIND = "pretrained";

  /** What the job produced. */
  public record Outcome(PretrainResult result, int images, TransferReport transfer) {}

  public static Path checkpointPath(Path out) {
    return Checkpointer.pathFor(out);
  }

  public Outcome run(Path out, TrainingListener listener, Consumer<String> log, IntConsumer loadProgress) {
    return run(out, listener, log, loadProgress, Checkpointer.Policy.defaults());
  }

  /** As below, with the default pool budget and spilling beside {@code out}. */
  public Outcome run(Path out, TrainingListener listener, Consumer<String> log, IntConsumer loadProgress,
      Checkpointer.Policy checkpoints) {
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
  public Outcome run(Path out, TrainingListener listener, Consumer<String> log, IntConsumer loadProgress,
      Checkpointer.Policy checkpoints, VolumePool.Budget pool) {
    try (VolumePool volumes = new VolumePool(pool)) {
      return pretrain(out, listener, log, loadProgress, checkpoints, volumes);
    }
  }

  private Outcome pretrain(Path out, TrainingListener listener, Consumer<String> log, IntConsumer loadProgress,
      Checkpointer.Policy checkpoints, VolumePool volumes) {
    Distributed.current().ifPresent(g -> DataParallelChecks.require(g, backbone, method,
        PretextMethods.spec(method).batchWideLoss()));
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
    AtomicFiles.removeLeftovers(out);
    // No tau given: the EMA's start is sized to this run's length (PretextMethods.budgetTau).
    MethodOptions resolved = PretextMethods.resolve(method, options, config.steps());
    try (PretextMethod m = PretextMethods.create(method, backbone, resolved, new SplittableRandom(config.seed()))) {
      TransferReport transfer = init == null ? null : initialise(m, log);
      int pool = backbone.dims() == Dims.TWO ? slices.sliceCount() : images;
      log.accept(String.format("pretraining %s on %d images (%d training + %d unlabeled; test subjects excluded): %d"
          + " steps of batch %d = %.2f epochs of %d %s", method, images, spec.training().size(),
          spec.unlabeled().size(), config.steps(), config.batch(), config.steps() * (double) config.batch() / pool, pool,
          backbone.dims() == Dims.TWO ? "slices" : "volumes"));
      PretrainResult result = new Pretrainer(config).run(m, slices, size, listener,
          new Checkpointer.Request(out, "pretrain", settings(), checkpoints, log));
      if (Distributed.writesOutputs()) { // rank 0 writes what the ranks trained together
        save(m, pre, resolved, result, images, out, spec);
        Checkpointer.delete(out);
      }
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
      slices += org.medssl.image.Slices.count(pre.targetGrid(org.medssl.io.nifti.NiftiReader.readHeader(c.image()).grid()),
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

  private TransferReport initialise(PretextMethod m, Consumer<String> log) {
    TransferReport r = WeightFiles.loadInto(m.weights(), init);
    m.afterInit(r);
    log.accept("continuing from " + init + ": " + WeightFiles.describe(r));
    return r;
  }

  private void save(PretextMethod m, Preprocessing pre, MethodOptions resolved, PretrainResult result,
      int images, Path out, DatasetSpec spec) {
    ObjectNode meta = ModelFile.newMetadata();
    meta.put("kind", KIND);
    meta.put("method", method);
    meta.put("medsslVersion", Version.current());
    meta.set("architecture", ArchitectureJson.of(backbone));
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
    p.put("options", resolved.describe(PretextMethods.spec(method).options()));
    p.put("init", init == null ? "none" : init.toString());
    p.put("steps", result.steps());
    p.put("seconds", result.seconds());
    LossLog.putCurve(p.putArray("lossCurve"), result.curve());
    ArrayNode warnings = p.putArray("warnings");
    result.warnings().forEach(warnings::add);
    meta.put("preprocessing", pre.toString());
    new ModelFile(meta, m.weights().snapshot()).write(out);
  }
}
