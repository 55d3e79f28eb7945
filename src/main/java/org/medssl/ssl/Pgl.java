package org.medssl.ssl;

import java.util.List;
import java.util.random.RandomGenerator;
import org.medssl.augment.PglViewRecipe;
import org.medssl.augment.ViewGeometry;
import org.medssl.data.PretrainImages;
import org.medssl.nn.Backbone;
import org.medssl.nn.Dims;
import org.medssl.nn.Encoder;
import org.medssl.tensor.Autocast;
import org.medssl.tensor.NoGrad;
import org.medssl.tensor.Precision;
import org.medssl.tensor.Tensor;
import org.medssl.tensor.TransferReport;

/**
 * PGL, prior-guided local self-supervision (Xie et al. 2021), for 3D volumes and 2D slices alike.
 * Two views of an image ({@link PglViewRecipe}) go through an online path (encoder, conv
 * projector, and after alignment a conv predictor) and a target path (encoder and projector, an
 * EMA of the online ones, tau 0.996 to 1, no gradients). The projections of the encoder's
 * bottleneck map are aligned with the views' geometry ({@link PriorAlignment}: FlipAlign, then
 * CSAlign) and compared voxel by voxel ({@link LocalConsistency}), symmetrised over the views.
 *
 * <p>Which encoder fine-tuning takes: the paper keeps "only the encoder in the online path" for
 * inference, so the <em>online</em> encoder is stored as {@code encoder.*} and the target as
 * {@code target.encoder.*}. (Our {@link Byol} does the reverse because Kalapos's BYOL code
 * fine-tunes the target; each method follows its own paper.)
 *
 * <p>Scaled down for CPUs: projector and predictor widths default to 256 hidden and 64 out
 * instead of 4096 and 256.
 */
public final class Pgl extends BasePretextMethod {
  static final String PROJECTOR = "projector";
  static final String PREDICTOR = "predictor";
  static final String TARGET = "target.";

  /**
   * @param tau0 starting EMA decay (0.996 in the paper)
   * @param hidden width of the projector's and predictor's hidden layer
   * @param out channels of the projection the loss compares
   */
  public record Config(double tau0, int hidden, int out, PriorAlignment alignment, PglViewRecipe views) {
    public static Config defaults() {
      return new Config(0.996, 256, 64, PriorAlignment.both(), PglViewRecipe.paper());
    }

    public Config withAlignment(PriorAlignment a) {
      return new Config(tau0, hidden, out, a, views);
    }
  }

  private final Config config;
  private final Encoder online;
  private final ConvProjector projector;
  private final ConvProjector predictor;
  private final Encoder target;
  private final ConvProjector targetProjector;
  private final MomentumPairs pairs;
  private final EmaSchedule schedule;

  public Pgl(Backbone backbone, Config config, RandomGenerator rng) {
    super("pgl", List.of("encoder (online)"));
    this.config = config;
    Dims dims = backbone.dims();
    int c = backbone.embeddingChannels();
    online = Encoder.create(store, Encoder.PREFIX, backbone, 1, rng);
    projector = new ConvProjector(store, PROJECTOR, dims, c, config.hidden(), config.out(), rng);
    predictor = new ConvProjector(store, PREDICTOR, dims, config.out(), config.hidden(), config.out(), rng);
    target = Encoder.create(store, TARGET + Encoder.PREFIX, backbone, 1, rng);
    targetProjector = new ConvProjector(store, TARGET + PROJECTOR, dims, c, config.hidden(), config.out(), rng);
    pairs = new MomentumPairs(store, List.of(
        new String[] {Encoder.PREFIX, TARGET + Encoder.PREFIX},
        new String[] {PROJECTOR + ".", TARGET + PROJECTOR + "."}));
    pairs.copyOnlineToTarget();
    schedule = new EmaSchedule(config.tau0());
  }

  @Override
  public List<Stage> stages() {
    List<Tensor> trainable = store.parameters(List.of(Encoder.PREFIX, PROJECTOR + ".", PREDICTOR + "."));
    return List.of(new Stage("pgl", 1.0, trainable, this::inputs, this::loss));
  }

  private PretextBatch inputs(PretrainImages images, int n, int[] size, RandomGenerator rng) {
    return PglViews.pairs(images, config.views(), n, size, rng);
  }

  private Stage.StepLoss loss(PretextBatch b, Precision precision) {
    Tensor[] p = new Tensor[2];
    Tensor[] z = new Tensor[2];
    try (Autocast a = Autocast.of(precision)) {
      for (int v = 0; v < 2; v++) {
        Tensor x = Tensor.of(b.inputs().get(v), b.tensorShape());
        p[v] = projector.forward(bottleneck(online, x));
        try (NoGrad g = NoGrad.open()) {
          z[v] = targetProjector.forward(bottleneck(target, x));
        }
      }
    }
    List<ViewGeometry> first = PglViews.of(b, 0);
    List<ViewGeometry> second = PglViews.of(b, 1);
    Tensor loss = predictAcross(p[0], first, z[1], second, precision)
        .add(predictAcross(p[1], second, z[0], first, precision));
    return new Stage.StepLoss(loss, Collapse.std(voxelEmbeddings(z[0])), config.out());
  }

  /** One direction of the loss: the online projection of one view predicts the target's of the other, aligned. */
  private Tensor predictAcross(Tensor onlineProjection, List<ViewGeometry> onlineViews, Tensor targetProjection,
      List<ViewGeometry> targetViews, Precision precision) {
    PriorAlignment.Aligned aligned = config.alignment().align(onlineProjection, onlineViews, targetProjection, targetViews);
    Tensor prediction;
    try (Autocast a = Autocast.of(precision)) {
      prediction = predictor.forward(aligned.first());
    }
    return LocalConsistency.loss(prediction, aligned.second());
  }

  /**
   * The online path's per-voxel projections of a batch of views {@code (N, 1, spatial...)}: what
   * the local loss compares, and what the benchmark times as this network's forward pass.
   */
  public Tensor localEmbeddings(Tensor views) {
    return projector.forward(bottleneck(online, views));
  }

  private static Tensor bottleneck(Encoder e, Tensor x) {
    List<Tensor> f = e.forward(x, true);
    return f.get(f.size() - 1);
  }

  /**
   * Every voxel's channel vector as a row {@code (N * voxels, C)}: the loss is local, so collapse
   * shows as the voxels' embeddings (not only the images' means) coinciding.
   */
  static Tensor voxelEmbeddings(Tensor map) {
    long n = map.size(0);
    long c = map.size(1);
    return map.reshape(n, c, -1).transpose(1, 2).reshape(-1, c);
  }

  @Override
  public void afterStep(int step, int totalSteps) {
    pairs.update(schedule.tau(step, totalSteps));
  }

  /** Weights from another method fill only {@code encoder.*} (the online path): start the target from it. */
  @Override
  public void afterInit(TransferReport report) {
    boolean targetLoaded = report.loaded().stream().anyMatch(n -> n.startsWith(TARGET));
    if (!targetLoaded) {
      pairs.copyOnlineToTarget();
    }
  }
}
