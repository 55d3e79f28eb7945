package org.medssl.ssl;

import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.medssl.augment.PglViewRecipe;
import org.medssl.augment.ViewGeometry;
import org.medssl.data.PretrainImages;
import org.medssl.nn.Backbone;
import org.medssl.nn.Dims;
import org.medssl.nn.Encoder;
import org.medssl.tensor.NoGrad;
import org.medssl.tensor.Tensor;
import org.medssl.train.MixedPrecision;
import org.medssl.train.StepLoss;

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
public final class Pgl extends MomentumMethod {
  /** PGL's starting EMA decay. */
  static final double PAPER_TAU = 0.996;

  public static final MethodOption<Boolean> FLIP_ALIGN = MethodOption.bool("flipAlign", "--no-flip-align", true,
      "pgl: undo each view's flips on its feature map (FlipAlign); the flag turns it off (ablation).")
      .fingerprintedUnless(true);
  /** With both alignments off the whole feature maps are compared as they are (the paper's ablation). */
  public static final MethodOption<Boolean> CROP_ALIGN = MethodOption.bool("cropAlign", "--no-crop-align", true,
      "pgl: compare only the region both crops show (CSAlign); the flag compares whole feature maps (ablation).")
      .fingerprintedUnless(true);
  /** On slices the paper's 110-140 % crops of the input are clamped to the whole slice, so CSAlign would do nothing. */
  public static final MethodOption<Boolean> SUB_SLICE_CROPS = MethodOption.bool("subSliceCrops", "--whole-slice-crops",
      true, "pgl on slices: crops of 60-90 % of the slice side; the flag restores the paper's 110-140 % crops, which a"
          + " whole-slice input clamps to the slice.").fingerprintedUnless(false);

  public static final MethodSpec SPEC = MethodSpec.momentum("pgl", Set.of(Dims.TWO, Dims.THREE),
      List.of(FLIP_ALIGN, CROP_ALIGN, ViewOptions.FLIPS, ViewOptions.REMAP, SUB_SLICE_CROPS, TAU),
      (b, o, r) -> new Pgl(b, Config.of(b, o), r), PAPER_TAU);

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
      return new Config(PAPER_TAU, 256, 64, PriorAlignment.both(), PglViewRecipe.paper());
    }

    /** The paper's heads and views with the options' tau, alignments, flips, remaps and slice crops. */
    static Config of(Backbone b, MethodOptions o) {
      PglViewRecipe views = ViewOptions.views(PglViewRecipe.paper(), o);
      if (b.dims() == Dims.TWO && o.get(SUB_SLICE_CROPS)) {
        views = views.withCrops(PglViewRecipe.SUB_SLICE_CROPS);
      }
      return new Config(MomentumMethod.tau0(o, PAPER_TAU), 256, 64, new PriorAlignment(o.get(FLIP_ALIGN), o.get(CROP_ALIGN)), views);
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
    pairTargets(List.of(new String[] {Encoder.PREFIX, TARGET + Encoder.PREFIX},
        new String[] {PROJECTOR + ".", TARGET + PROJECTOR + "."}), config.tau0());
  }

  @Override
  public List<Stage> stages() {
    List<Tensor> trainable = store.parameters(List.of(Encoder.PREFIX, PROJECTOR + ".", PREDICTOR + "."));
    return List.of(new Stage("pgl", 1.0, trainable, this::inputs, this::loss));
  }

  private PretextBatch inputs(PretrainImages images, int n, int[] size, RandomGenerator rng) {
    return PglViews.pairs(images, config.views(), n, size, rng);
  }

  private StepLoss loss(PretextBatch b, MixedPrecision amp) {
    Tensor[] p = new Tensor[2];
    Tensor[] z = new Tensor[2];
    amp.forward(() -> { // both views in one pass: their casts of the weights are shared
      for (int v = 0; v < 2; v++) {
        Tensor x = Tensor.of(b.inputs().get(v), b.tensorShape());
        p[v] = projector.forward(bottleneck(online, x));
        try (NoGrad g = NoGrad.open()) {
          z[v] = targetProjector.forward(bottleneck(target, x));
        }
      }
      return null;
    });
    List<ViewGeometry> first = PglViews.of(b, 0);
    List<ViewGeometry> second = PglViews.of(b, 1);
    Tensor loss = predictAcross(p[0], first, z[1], second, amp).add(predictAcross(p[1], second, z[0], first, amp));
    return new StepLoss(loss, Collapse.std(voxelEmbeddings(z[0])), config.out());
  }

  /** One direction of the loss: the online projection of one view predicts the target's of the other, aligned. */
  private Tensor predictAcross(Tensor onlineProjection, List<ViewGeometry> onlineViews, Tensor targetProjection,
      List<ViewGeometry> targetViews, MixedPrecision amp) {
    PriorAlignment.Aligned aligned = config.alignment().align(onlineProjection, onlineViews, targetProjection, targetViews);
    Tensor prediction = amp.forward(() -> predictor.forward(aligned.first()));
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

  /** The target side is {@code target.*}; {@code encoder.*}, which fine-tuning takes, is online. */
  @Override
  protected boolean isOnline(String weightName) {
    return !weightName.startsWith(TARGET);
  }
}
