package org.medssl.ssl;

import org.medssl.nn.Backbone;
import org.medssl.nn.WeightFiles;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.medssl.data.DatasetLoader;
import org.medssl.data.ImageSlices;
import org.medssl.data.Preprocessing;
import org.medssl.image.CropPad;
import org.medssl.image.Volume;
import org.medssl.io.DatasetSpec;
import org.medssl.io.ModelFile;
import org.medssl.Version;
import org.medssl.tensor.TransferReport;

/**
 * One pretraining on a dataset directory: the images of the training and unlabeled subjects
 * (never the test subjects), an optional earlier pretraining to continue from (hierarchical
 * pretraining), the method's loop, and a {@code .medssl} file of kind "pretrained".
 */
public record PretrainJob(Path dataDir, String method, Backbone backbone, PretextMethods.Options options, Path init,
    PretrainConfig config) {

  public static final String KIND = "pretrained";

  /** What the job produced. */
  public record Outcome(PretrainResult result, int images, TransferReport transfer) {}

  public Outcome run(Path out, Pretrainer.Listener listener, Consumer<String> log, IntConsumer loadProgress) {
    DatasetSpec spec = DatasetSpec.read(dataDir);
    List<DatasetSpec.Case> cases = new ArrayList<>(spec.training());
    cases.addAll(spec.unlabeled());
    Preprocessing pre = Preprocessing.mrDefault();
    DatasetLoader loader = new DatasetLoader(pre, spec.labelNames().size());
    List<Volume> images = new ArrayList<>();
    for (DatasetSpec.Case c : cases) {
      images.add(loader.load(new DatasetSpec.Case(c.id(), c.image(), null)).image());
      loadProgress.accept(images.size());
    }
    ImageSlices slices = new ImageSlices(images, pre.sliceAxis());
    int factor = 1 << (backbone.channels().length - 1);
    int[] hw = slices.sliceShape();
    try (PretextMethod m = PretextMethods.create(method, backbone, options, new SplittableRandom(config.seed()))) {
      TransferReport transfer = init == null ? null : initialise(m, log);
      log.accept(String.format("pretraining %s on %d images (%d training + %d unlabeled; test subjects excluded)",
          method, images.size(), spec.training().size(), spec.unlabeled().size()));
      PretrainResult result = new Pretrainer(config).run(m, slices, CropPad.roundUp(hw[0], factor),
          CropPad.roundUp(hw[1], factor), listener);
      save(m, pre, result, images.size(), out);
      return new Outcome(result, images.size(), transfer);
    }
  }

  private TransferReport initialise(PretextMethod m, Consumer<String> log) {
    TransferReport r = WeightFiles.loadInto(m.weights(), init);
    m.afterInit(r);
    log.accept("continuing from " + init + ": " + WeightFiles.describe(r));
    return r;
  }

  private void save(PretextMethod m, Preprocessing pre, PretrainResult result, int images, Path out) {
    ObjectNode meta = ModelFile.newMetadata();
    meta.put("kind", KIND);
    meta.put("method", method);
    meta.put("medsslVersion", Version.current());
    ObjectNode arch = meta.putObject("architecture");
    arch.put("name", "unet");
    arch.put("dims", 2);
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
    p.put("seed", config.seed());
    p.put("config", config.toString());
    p.put("options", options.toString());
    p.put("init", init == null ? "none" : init.toString());
    p.put("steps", result.steps());
    p.put("seconds", result.seconds());
    ArrayNode curve = p.putArray("lossCurve");
    for (PretrainResult.LossPoint pt : result.curve()) {
      ObjectNode o = curve.addObject();
      o.put("stage", pt.stage());
      o.put("step", pt.step());
      o.put("loss", pt.loss());
      if (Double.isFinite(pt.embeddingStd())) {
        o.put("embeddingStd", pt.embeddingStd());
      }
    }
    ArrayNode warnings = p.putArray("warnings");
    result.warnings().forEach(warnings::add);
    meta.put("preprocessing", pre.toString());
    new ModelFile(meta, m.weights().snapshot()).write(out);
  }
}
