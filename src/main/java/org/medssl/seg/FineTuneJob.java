package org.medssl.seg;

import org.medssl.Version;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.medssl.data.DatasetLoader;
import org.medssl.data.Preprocessing;
import org.medssl.data.Splits;
import org.medssl.data.Subject;
import org.medssl.io.DatasetSpec;
import org.medssl.io.ModelFile;
import org.medssl.nn.WeightFiles;
import org.medssl.nn.Backbone;
import org.medssl.nn.UNet;
import org.medssl.nn.UNetConfig;
import org.medssl.tensor.TransferReport;

/**
 * One fine-tuning run on a dataset directory: hold out validation subjects, draw the labeled
 * budget with the seed, build (or initialise) the U-Net, train, and return the model.
 *
 * @param init a {@code .medssl} file to initialise from, or null for random initialisation
 */
public record FineTuneJob(Path dataDir, int labeled, int validationSubjects, Backbone backbone, Path init,
    FineTuneConfig config) {

  /** What the job produced. */
  public record Outcome(SegmentationModel model, FineTuneResult result, List<String> trainIds,
      List<String> validationIds, TransferReport transfer) {}

  public Outcome run(TrainingListener listener, Consumer<String> log) {
    DatasetSpec spec = DatasetSpec.read(dataDir);
    List<String> ids = spec.training().stream().map(DatasetSpec.Case::id).toList();
    Splits.TrainValidation split = Splits.holdOutValidation(ids, validationSubjects);
    List<String> chosen = Splits.labeledBudget(split.pool(), labeled, config.seed());
    List<String> labelNames = spec.labelNames();
    Preprocessing pre = config.preprocessing().resolve(spec.modality());
    log.accept("preprocessing: " + pre.describe());
    DatasetLoader loader = new DatasetLoader(pre, labelNames.size());
    List<Subject> train = loader.load(cases(spec, chosen), i -> { });
    List<Subject> val = loader.load(cases(spec, split.validation()), i -> { });
    log.accept(String.format("training on %d labeled subject(s) %s, validating on %d %s", train.size(), chosen,
        val.size(), split.validation()));
    UNetConfig arch = new UNetConfig(org.medssl.nn.Dims.TWO, 1, labelNames.size(), backbone.channels(), backbone.norm());
    UNet net = new UNet(arch, new SplittableRandom(config.seed()));
    TransferReport transfer = init == null ? null : initialise(net, init, log);
    FineTuneResult result = new FineTuner(config, pre.sliceAxis()).run(net, train, val, listener);
    ObjectNode prov = provenance(chosen, split.validation(), result);
    return new Outcome(new SegmentationModel(net, pre, labelNames, prov), result, chosen, split.validation(), transfer);
  }

  private static List<DatasetSpec.Case> cases(DatasetSpec spec, List<String> ids) {
    return ids.stream().map(id -> spec.training().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow())
        .toList();
  }

  /** Loads every tensor of the init file that the network has; the rest stays freshly initialised. */
  private static TransferReport initialise(UNet net, Path init, Consumer<String> log) {
    TransferReport r = WeightFiles.loadInto(net.weights(), init);
    log.accept("initialised from " + init + ": " + WeightFiles.describe(r));
    return r;
  }

  private ObjectNode provenance(List<String> chosen, List<String> validation, FineTuneResult result) {
    ObjectNode p = ModelFile.newMetadata();
    p.put("task", "finetune");
    p.put("data", dataDir.toString());
    p.put("seed", config.seed());
    p.put("labeled", labeled);
    chosen.forEach(p.putArray("trainSubjects")::add);
    validation.forEach(p.putArray("validationSubjects")::add);
    p.put("init", init == null ? "none" : init.toString());
    p.put("config", config.toString());
    p.put("precision", config.precision().label());
    p.put("bestStep", result.bestStep());
    p.put("bestValidationDice", result.bestValidationDice());
    p.put("medsslVersion", Version.current());
    return p;
  }
}
