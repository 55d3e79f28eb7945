package org.medssl.ssl;

import org.medssl.nn.Backbone;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.medssl.augment.PglViewRecipe;
import org.medssl.augment.ViewRecipe;
import org.medssl.data.PretrainImages;
import org.medssl.nn.Dims;
import org.medssl.nn.Encoder;
import org.medssl.nn.MlpHead;
import org.medssl.tensor.NoGrad;
import org.medssl.tensor.Tensor;
import org.medssl.train.MixedPrecision;
import org.medssl.train.StepLoss;

/**
 * BYOL (Grill et al. 2020) on a U-Net encoder, as Kalapos and Gyires-Toth pretrain it: online
 * encoder, projector and predictor; target encoder and projector are an EMA of the online ones
 * (tau from 0.99 to 1 on a cosine schedule); symmetric loss 2 - 2 cos. The target encoder is
 * stored as {@code encoder.*}, so fine-tuning starts from it, as in the paper's code.
 * Differences from the paper: heads scaled to the small encoder (hidden 512, output 128 instead
 * of 4096 and 256), AdamW by default for small batches (LARS available).
 *
 * <p>On a 3D backbone the views are PGL's ({@link PglViewRecipe}: overlapping 110-140 % crops,
 * flips on every axis, noise, blur, brightness, gamma) and the loss stays global (pooled
 * bottleneck): the BYOL baseline Xie et al. compare PGL with, same encoder and same inputs.
 *
 * <p>Option {@code partitionPositives} (not in the paper; 2D only, refused in 3D by
 * {@link PretextMethods#requireUsable}): the two views are slices of two different volumes from the
 * same partition along the slice axis, the cross-subject positives Chaitanya et al. give
 * contrastive learning, for registered scans.
 */
public final class Byol extends MomentumMethod {
  /** BYOL's starting EMA decay. */
  static final double PAPER_TAU = 0.99;

  /** 2D views, or PGL's in 3D; the options are the shared view ones and tau. */
  public static final MethodSpec SPEC = MethodSpec.momentum("byol", Set.of(Dims.TWO, Dims.THREE),
      List.of(ViewOptions.FLIPS, ViewOptions.REMAP, TAU, ViewOptions.PARTITION_POSITIVES),
      (b, o, r) -> new Byol(b, Config.of(o), r), PAPER_TAU);

  static final String ONLINE = "online.";
  static final String TARGET_PROJECTOR = "target.projector";

  /**
   * @param tau0 starting EMA decay (0.99)
   * @param slices views of slices (2D)
   * @param volumes views of volumes (3D)
   * @param partitionPositives 2D pairs from two volumes' same partition instead of one slice twice
   */
  public record Config(double tau0, int hidden, int out, ViewRecipe slices, PglViewRecipe volumes,
      boolean partitionPositives) {
    /** The papers' views. */
    public Config(double tau0, int hidden, int out) {
      this(tau0, hidden, out, ViewRecipe.byol(), PglViewRecipe.paper(), false);
    }

    public static Config defaults() {
      return new Config(PAPER_TAU, 512, 128);
    }

    /** The paper's views and heads with the options' tau, flips and remaps. */
    static Config of(MethodOptions o) {
      return new Config(MomentumMethod.tau0(o, PAPER_TAU), 512, 128, ViewOptions.views(ViewRecipe.byol(), o),
          ViewOptions.views(PglViewRecipe.paper(), o), o.get(ViewOptions.PARTITION_POSITIVES));
    }
  }

  private final Encoder online;
  private final MlpHead onlineProjector;
  private final MlpHead predictor;
  private final Encoder target;
  private final MlpHead targetProjector;
  private final int outDim;
  private final Dims dims;
  private final Config config;

  public Byol(Backbone backbone, Config config, RandomGenerator rng) {
    super("byol", List.of("encoder (EMA target)"));
    int d = backbone.embeddingChannels();
    online = Encoder.create(store, ONLINE + Encoder.PREFIX, backbone, 1, rng);
    onlineProjector = new MlpHead(store, ONLINE + "projector", d, config.hidden(), config.out(), rng);
    predictor = new MlpHead(store, ONLINE + "predictor", config.out(), config.hidden(), config.out(), rng);
    target = Encoder.create(store, Encoder.PREFIX, backbone, 1, rng);
    targetProjector = new MlpHead(store, TARGET_PROJECTOR, d, config.hidden(), config.out(), rng);
    pairTargets(List.of(new String[] {ONLINE + Encoder.PREFIX, Encoder.PREFIX},
        new String[] {ONLINE + "projector.", TARGET_PROJECTOR + "."}), config.tau0());
    outDim = config.out();
    dims = backbone.dims();
    this.config = config;
  }

  @Override
  public List<Stage> stages() {
    return List.of(new Stage("byol", 1.0, store.parameters(List.of(ONLINE)), this::inputs, this::loss));
  }

  private PretextBatch inputs(PretrainImages images, int n, int[] size, RandomGenerator rng) {
    if (dims == Dims.THREE) {
      return PglViews.pairs(images, config.volumes(), n, size, rng);
    }
    return config.partitionPositives()
        ? Views.partitionPairs(images, config.slices(), ViewOptions.PARTITIONS, n, size, rng)
        : Views.twoViews(images, config.slices(), config.slices(), n, size, rng);
  }

  private StepLoss loss(PretextBatch b, MixedPrecision amp) {
    Tensor[] p = new Tensor[2];
    Tensor[] z = new Tensor[2];
    // both views in one pass: their casts of the weights are shared, as in one autocast region
    amp.forward(() -> {
      for (int v = 0; v < 2; v++) {
        Tensor x = Tensor.of(b.inputs().get(v), b.tensorShape());
        p[v] = predictor.forward(onlineProjector.forward(pooled(online, x)));
        try (NoGrad g = NoGrad.open()) {
          z[v] = targetProjector.forward(pooled(target, x));
        }
      }
      return null;
    });
    Tensor loss = ByolLoss.loss(p[0], z[1]).add(ByolLoss.loss(p[1], z[0]));
    return new StepLoss(loss, Collapse.std(z[0]), outDim);
  }

  private static Tensor pooled(Encoder e, Tensor x) {
    List<Tensor> f = e.forward(x, true);
    return f.get(f.size() - 1).globalAvgPool();
  }

  /** The online side is {@code online.*}; {@code encoder.*} is the target, which fine-tuning takes. */
  @Override
  protected boolean isOnline(String weightName) {
    return weightName.startsWith(ONLINE);
  }
}
