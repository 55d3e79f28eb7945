package org.medssl.seg;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.medssl.MedsslException;
import org.medssl.Version;
import org.medssl.data.ClassPresence;
import org.medssl.data.DatasetCheck;
import org.medssl.data.DatasetLoader;
import org.medssl.data.InputChannel;
import org.medssl.data.PatchSize;
import org.medssl.data.Preprocessing;
import org.medssl.data.Splits;
import org.medssl.data.Subject;
import org.medssl.io.dataset.DatasetLayouts;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.io.model.ModelFile;
import org.medssl.nn.WeightFiles;
import org.medssl.nn.Backbone;
import org.medssl.nn.DecoderKind;
import org.medssl.nn.Dims;
import org.medssl.nn.SegNet;
import org.medssl.nn.SegNetConfig;
import org.medssl.tensor.TransferReport;
import org.medssl.tensor.Distributed;
import org.medssl.train.Checkpointer;
import org.medssl.train.DataParallelChecks;

/**
 * One fine-tuning run on a dataset directory: hold out validation subjects, draw the labeled
 * budget with the seed, build (or initialise) the network, train, and return the model.
 *
 * <p>Splits count subjects, not cases: a subject's cases (an ACDC patient's two labeled frames) go
 * together into training or validation, and {@code labeled} is a number of subjects.
 *
 * @param backbone the encoder; its dimensionality decides between 2D slices and 3D patches
 * @param decoder the decoder put on the encoder
 * @param patch the 3D training patch and inference window ({d, h, w}); null for 2D networks
 * @param init a {@code .medssl} file to initialise from, or null for random initialisation
 * @param channel the input channel of a multi-channel dataset, by name or index; null for channel 0;
 *     {@link InputChannel#ALL} for every channel as network input
 */
public record FineTuneJob(Path dataDir, int labeled, int validationSubjects, Backbone backbone, DecoderKind decoder,
    PatchSize patch, Path init, FineTuneConfig config, String channel) {

  public FineTuneJob {
    if (backbone.dims() == Dims.THREE && patch == null) {
      throw new IllegalArgumentException("a 3D network needs a patch size (e.g. PatchSize.DEFAULT_3D)");
    }
    if (backbone.dims() == Dims.TWO && patch != null) {
      throw new MedsslException("--patch " + patch + ": a patch size is for 3D networks (--dims 3)");
    }
  }

  /** A U-Net decoder on a 2D {@code backbone} (3D networks need the canonical constructor, with a patch). */
  public FineTuneJob(Path dataDir, int labeled, int validationSubjects, Backbone backbone, Path init,
      FineTuneConfig config, String channel) {
    this(dataDir, labeled, validationSubjects, backbone, DecoderKind.UNET, null, init, config, channel);
  }

  public FineTuneJob(Path dataDir, int labeled, int validationSubjects, Backbone backbone, Path init,
      FineTuneConfig config) {
    this(dataDir, labeled, validationSubjects, backbone, init, config, null);
  }

  /** What the job produced. */
  public record Outcome(SegmentationModel model, FineTuneResult result, List<String> trainIds,
      List<String> validationIds, TransferReport transfer) {}

  public Outcome run(FineTuneListener listener, Consumer<String> log) {
    return run(listener, log, null, Checkpointer.Policy.defaults());
  }

  /**
   * @param out the model file the run will be saved as; its checkpoints go beside it
   *     ({@code <out>.ckpt}, removed by {@link #finished}); null for a run without checkpoints
   */
  public Outcome run(FineTuneListener listener, Consumer<String> log, Path out, Checkpointer.Policy checkpoints) {
    Distributed.current().ifPresent(g -> DataParallelChecks.require(g, backbone, null, false));
    SlidingWindow window = patch == null ? null : window(log);
    boolean allChannels = InputChannel.isAll(channel);
    DatasetSpec spec = DatasetLayouts.open(dataDir, allChannels ? null : channel);
    spec.requireTrainingLabels("finetune");
    if (allChannels) {
      DatasetCheck.beforeTrainingOnEveryChannel(spec, log);
      log.accept(InputChannel.describeAll(spec));
    } else {
      DatasetCheck.beforeTraining(spec, log);
      InputChannel.describe(spec).ifPresent(log);
    }
    Splits.TrainValidation split = Splits.of(spec, validationSubjects);
    List<String> chosen = Splits.labeledBudget(split.pool(), labeled, config.seed(), ClassPresence.ofLabels(spec));
    List<String> labelNames = spec.labelNames();
    Preprocessing pre = preprocessing(spec, allChannels);
    log.accept("preprocessing: " + pre.describe());
    DatasetLoader loader = new DatasetLoader(pre, labelNames.size(), config.preprocessing().replaceNonFinite(),
        allChannels ? spec::channelCases : List::of);
    List<Subject> train = loader.load(spec.trainingCasesOf(chosen), i -> { });
    List<Subject> val = loader.load(spec.trainingCasesOf(split.validation()), i -> { });
    loader.replacements().ifPresent(log);
    log.accept(String.format("training on %d labeled subject(s) %s%s, validating on %d %s", chosen.size(), chosen,
        train.size() == chosen.size() ? "" : " (" + train.size() + " labeled scans)", split.validation().size(),
        split.validation()));
    SegNetConfig arch = new SegNetConfig(backbone, decoder, train.get(0).channelCount(), labelNames.size());
    SegNet net = new SegNet(arch, new SplittableRandom(config.seed()));
    TransferReport transfer = init == null ? null : initialise(net, init, log);
    if (config.treatsEncoderApart()) {
      log.accept(String.format("encoder (encoder.*): learning rate x %s%s", config.encoderLrScale(),
          config.frozenEncoderSteps() == 0 ? "" : ", frozen for the first " + config.frozenEncoderSteps()
              + " steps (decoder and head only), then all weights with a fresh warm-up"));
    }
    Checkpointer.Request request = out == null ? null
        : new Checkpointer.Request(out, "finetune", toString(), checkpoints, log);
    FineTuneResult result = new FineTuner(config, pre.sliceAxis(), window).run(net, train, val, listener, request);
    ObjectNode prov = provenance(chosen, split.validation(), result);
    InputChannel.record(spec, allChannels, prov);
    return new Outcome(new SegmentationModel(net, pre, labelNames, prov, window), result, chosen, split.validation(),
        transfer);
  }

  /** Removes the checkpoint of a run saved as {@code out}: call once the model is written. */
  public static void finished(Path out) {
    Checkpointer.delete(out);
  }

  /**
   * The preprocessing of the channel read, or, for every channel as input, the one all channels
   * share: each channel is normalised on its own statistics, but one model file stores one
   * normalisation, so channels that need different ones (CT beside MR) are refused.
   */
  private Preprocessing preprocessing(DatasetSpec spec, boolean allChannels) {
    boolean volumetric = backbone.dims() == Dims.THREE;
    Preprocessing pre = config.preprocessing().resolve(spec.modality(), volumetric);
    if (allChannels) {
      for (String name : spec.channelNames()) {
        Preprocessing other = config.preprocessing().resolve(name, volumetric);
        if (!other.equals(pre)) {
          throw new MedsslException(dataDir + ": --channel all needs one normalisation for every channel, but "
              + spec.channelName() + " gets " + pre.describe() + " and " + name + " gets " + other.describe()
              + "; train on one channel (--channel NAME)");
        }
      }
    }
    return pre;
  }

  /** The 3D patch as the window validation and the model file use, checked before a network is built. */
  private SlidingWindow window(Consumer<String> log) {
    SlidingWindow w = SlidingWindow.of(patch.requireDivisibleBy(backbone.downsamplingFactor(), "--patch"));
    log.accept("3D patches " + patch + " (d,h,w), " + config.batch() + " per batch; validation and inference: "
        + w.describe());
    return w;
  }

  /**
   * Loads every tensor of the init file that the network has (only its encoder when the file's
   * decoder is another one); the rest stays freshly initialised.
   */
  private static TransferReport initialise(SegNet net, Path init, Consumer<String> log) {
    TransferReport r = WeightFiles.loadInto(net.weights(), init, log, net.config().decoder());
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
