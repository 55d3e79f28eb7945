package org.medssl.ssl;

import org.medssl.nn.Backbone;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.medssl.augment.ViewRecipe;
import org.medssl.data.PretrainImages;
import org.medssl.nn.ConvHead;
import org.medssl.nn.Dims;
import org.medssl.nn.MlpHead;
import org.medssl.tensor.NoGrad;
import org.medssl.train.MixedPrecision;
import org.medssl.train.StepLoss;
import org.medssl.tensor.Tensor;

/**
 * Umapathy et al.'s contrastive pretraining, following Chaitanya et al. (2020), in two stages:
 * <ol>
 *   <li>global: encoder, global average pooling and an MLP head trained with NT-Xent; positives are
 *       two augmented views of one slice, or (option "partition") slices from the same relative
 *       position of different volumes;
 *   <li>local: encoder frozen, decoder plus a 1x1 head trained with the local contrastive loss on
 *       two intensity-only views (same geometry, so positions correspond).
 * </ol>
 * Encoder and decoder transfer. The local loss is applied at a decoder level ({@code localLevel}:
 * 0 is full resolution, k is 1/2^k, clamped to the coarsest decoder level), as Chaitanya et al.
 * do with an intermediate level: at full resolution 3x3 regions are a few pixels wide and the
 * decoder can tell lattice positions apart by where they are rather than by what they show. Only
 * the decoder blocks down to that level are trained; finer blocks keep their initialisation.
 * The head is scaled to the small CPU-sized encoder (hidden 256, output 128 instead of 1024 and
 * 128). Views: {@code globalViews} for stage 1, {@code localViews} (identity geometry) for stage 2.
 */
public final class Contrastive extends UNetPretextMethod {
  public static final MethodOption<Integer> LOCAL_LEVEL = MethodOption.integer("localLevel", "--local-level", 2,
      "contrastive: decoder level of the local loss, 0 for full resolution, k for 1/2^k.")
      .validWhen(l -> l >= 0, ">= 0").fingerprintedUnless(0);
  /** Two views of the whole slice compared at the same positions let a region's position alone tell its partner. */
  public static final MethodOption<Boolean> LOCAL_CROPS = MethodOption.bool("localCrops", "--no-local-crops", true,
      "contrastive: the local stage's views are crops of 50-100 % of the slice matched through their geometry; the"
          + " flag compares two views of the whole slice at the same positions (Chaitanya's).")
      .fingerprintedUnless(false);

  /** Contrasts 2D slices. */
  public static final MethodSpec SPEC = MethodSpec.of("contrastive", Set.of(Dims.TWO),
      List.of(ViewOptions.PARTITION_POSITIVES, ViewOptions.FLIPS, ViewOptions.REMAP, LOCAL_LEVEL, LOCAL_CROPS),
      (b, o, r) -> new Contrastive(b, Config.of(o), r)).withBatchWideLoss(); // NT-Xent's negatives

  /**
   * @param temperature NT-Xent and local temperature (0.1)
   * @param partitionPositives use same-partition slices of different volumes as global positives
   * @param partitions number of partitions along the slice axis (4)
   * @param localGrid lattice of local regions per axis (13 in Chaitanya's code)
   * @param globalFraction share of the steps for the global stage
   * @param localLevel decoder level of the local loss (0: full resolution)
   */
  public record Config(double temperature, boolean partitionPositives, int partitions, int localGrid,
      double globalFraction, int localLevel, ViewRecipe globalViews, ViewRecipe localViews) {
    public Config {
      if (localLevel < 0) {
        throw new IllegalArgumentException("local level must be >= 0: " + localLevel);
      }
    }

    /** Full-resolution local loss on the original views (the behaviour before levels and view options). */
    public Config(double temperature, boolean partitionPositives, int partitions, int localGrid,
        double globalFraction) {
      this(temperature, partitionPositives, partitions, localGrid, globalFraction, 0,
          ViewRecipe.globalContrastive(), ViewRecipe.intensityOnly());
    }

    public static Config defaults() {
      return new Config(0.1, false, ViewOptions.PARTITIONS, 13, 0.5);
    }

    /** The paper's temperature, partitions, lattice and stage split with the options' positives, level and views. */
    static Config of(MethodOptions o) {
      ViewRecipe local = o.get(LOCAL_CROPS) ? ViewRecipe.localCrops() : ViewRecipe.intensityOnly();
      return new Config(0.1, o.get(ViewOptions.PARTITION_POSITIVES), ViewOptions.PARTITIONS, 13, 0.5, o.get(LOCAL_LEVEL),
          ViewOptions.views(ViewRecipe.globalContrastive(), o), ViewOptions.views(local, o));
    }
  }

  private final MlpHead globalHead;
  private final ConvHead localHead;
  private final Config config;
  private final int embeddingDim = 128;
  private final int localLevel;
  private final int decoderLevels;

  public Contrastive(Backbone backbone, Config config, RandomGenerator rng) {
    super("contrastive", backbone, rng);
    this.config = config;
    this.globalHead = new MlpHead(store, "pretext.global", backbone.embeddingChannels(), 256, embeddingDim, rng);
    this.decoderLevels = backbone.channels().length - 1;
    this.localLevel = Math.min(config.localLevel(), decoderLevels - 1);
    int c = backbone.channels()[localLevel];
    this.localHead = new ConvHead(store, "pretext.local", Dims.TWO, c, c, c, rng);
  }

  @Override
  public List<Stage> stages() {
    List<Tensor> globalParams = store.parameters(List.of("encoder.", "pretext.global."));
    List<String> local = new java.util.ArrayList<>();
    for (int level = localLevel; level < decoderLevels; level++) {
      local.add("decoder.level" + level + ".");
    }
    local.add("pretext.local.");
    List<Tensor> localParams = store.parameters(local);
    return List.of(
        new Stage("global", config.globalFraction(), globalParams, this::globalInputs, this::globalLoss),
        new Stage("local", 1 - config.globalFraction(), localParams, this::localInputs, this::localLoss));
  }

  private PretextBatch globalInputs(PretrainImages slices, int n, int[] size, RandomGenerator rng) {
    ViewRecipe r = config.globalViews();
    return config.partitionPositives()
        ? Views.partitionPairs(slices, r, config.partitions(), n, size, rng)
        : Views.twoViews(slices, r, r, n, size, rng);
  }

  private PretextBatch localInputs(PretrainImages slices, int n, int[] size, RandomGenerator rng) {
    return Views.twoViews(slices, config.localViews(), config.localViews(), n, size, rng);
  }

  private StepLoss globalLoss(PretextBatch b, MixedPrecision amp) {
    Tensor[] z = new Tensor[2];
    amp.forward(() -> { // both views in one pass: their casts of the weights are shared
      for (int v = 0; v < 2; v++) {
        List<Tensor> features = body.encode(Tensor.of(b.inputs().get(v), b.tensorShape()));
        z[v] = globalHead.forward(features.get(features.size() - 1).globalAvgPool());
      }
      return null;
    });
    return new StepLoss(NtXent.loss(z[0], z[1], config.temperature()), Collapse.std(z[0]), embeddingDim);
  }

  private StepLoss localLoss(PretextBatch b, MixedPrecision amp) {
    Tensor[] f = new Tensor[2];
    amp.forward(() -> { // both views in one pass: their casts of the weights are shared
      for (int v = 0; v < 2; v++) {
        List<Tensor> features;
        try (NoGrad frozen = NoGrad.open()) {
          features = body.encode(Tensor.of(b.inputs().get(v), b.tensorShape()));
        }
        f[v] = localHead.forward(body.decode(features, localLevel));
      }
      return null;
    });
    if (sameGeometry(config.localViews())) {
      return StepLoss.of(LocalContrastive.loss(f[0], f[1], config.localGrid(), config.temperature()));
    }
    return StepLoss.of(LocalContrastive.loss(f[0], f[1], PglViews.of(b, 0), PglViews.of(b, 1), 1 << localLevel,
        config.localGrid(), config.temperature()));
  }

  /** Whether every view of the recipe is the whole slice, unflipped, so positions correspond as they are. */
  static boolean sameGeometry(ViewRecipe r) {
    return r.cropMin() >= 1 && r.flipProbability() == 0;
  }
}
