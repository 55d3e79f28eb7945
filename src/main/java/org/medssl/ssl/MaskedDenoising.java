package org.medssl.ssl;

import org.medssl.nn.Backbone;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.medssl.augment.Slice2d;
import org.medssl.augment.ViewRecipe;
import org.medssl.data.PretrainImages;
import org.medssl.nn.ConvHead;
import org.medssl.nn.Dims;
import org.medssl.train.MixedPrecision;
import org.medssl.train.StepLoss;
import org.medssl.tensor.Tensor;

/**
 * Umapathy et al.'s regression pretext (Noise2Void-like masked denoising): a stratified fraction
 * p of the pixels is replaced by Gaussian noise with the view's standard deviation; the whole
 * U-Net with a 1-channel head predicts the view's values there, with L1 on the masked pixels only.
 * Encoder and decoder transfer.
 *
 * <p>The masked pixels come in square blocks of side b: one block per cell of side
 * round(b / sqrt(p)), at a random place in its cell (cells and blocks clipped at the edges). The
 * paper says only "a percentage of the pixels"; with single pixels (b = 1, Noise2Void's choice)
 * the task is solved by interpolating the neighbours, which teaches little about anatomy, so the
 * default masks 8 x 8 blocks covering 25 % of the slice, which must be inpainted from context.
 *
 * <p>With {@code restoreIntensity} the target is the view before its intensity curve (after Models
 * Genesis's "non-linear transformation" restoration, Zhou et al. 2021, which regresses the whole
 * image with MSE): a random, often non-monotone curve can only be undone by recognising each
 * tissue from its shape and context, so the task asks for anatomy where plain inpainting can lean
 * on the neighbours' grey values. The curve is drawn with the views' {@code remapProbability}; a
 * view without one is plain inpainting plus copying the unmasked pixels. Every pixel then has
 * something to restore, so the loss adds the unmasked pixels' mean L1 to the masked pixels' (the
 * plain task's loss, kept as it was).
 */
public final class MaskedDenoising extends UNetPretextMethod {
  public static final MethodOption<Double> MASK_FRACTION = MethodOption.number("maskFraction", "--mask-fraction", 0.25,
      "denoise: fraction of pixels masked.").validWhen(f -> f > 0 && f < 1, "in (0, 1)").alwaysFingerprinted();
  public static final MethodOption<Integer> MASK_BLOCK = MethodOption.integer("maskBlock", "--mask-block", 8,
      "denoise: side of the masked square blocks in pixels, 1 for single pixels.")
      .validWhen(b -> b >= 1, "at least 1 pixel").fingerprintedUnless(1);
  public static final MethodOption<Boolean> RESTORE_INTENSITY = MethodOption.bool("restoreIntensity",
      "--restore-intensity", false, "denoise: regress every pixel of the view before its random intensity curve"
          + " (drawn with remapProbability, so 0 leaves nothing to restore), not only the masked pixels' values.")
      .fingerprintedUnless(false);

  /** Masks and inpaints 2D slices. */
  public static final MethodSpec SPEC = MethodSpec.of("denoise", Set.of(Dims.TWO),
      List.of(ViewOptions.FLIPS, ViewOptions.REMAP, MASK_FRACTION, MASK_BLOCK, RESTORE_INTENSITY),
      (b, o, r) -> new MaskedDenoising(b, Config.of(o), r));

  /**
   * @param maskFraction fraction of pixels masked
   * @param maskBlock side of the masked blocks in pixels (1: single pixels)
   * @param views the view each slice is drawn as before masking
   * @param restoreIntensity regress the view before its intensity changes, on every pixel
   */
  public record Config(double maskFraction, int maskBlock, ViewRecipe views, boolean restoreIntensity) {
    public Config {
      if (maskFraction <= 0 || maskFraction >= 1) {
        throw new IllegalArgumentException("mask fraction must be in (0, 1): " + maskFraction);
      }
      if (maskBlock < 1) {
        throw new IllegalArgumentException("mask block must be at least 1 pixel: " + maskBlock);
      }
    }

    /** The options' mask on the mild spatial views with the options' flips and remaps. */
    static Config of(MethodOptions o) {
      return new Config(o.get(MASK_FRACTION), o.get(MASK_BLOCK), ViewOptions.views(ViewRecipe.mildSpatial(), o),
          o.get(RESTORE_INTENSITY));
    }

    /** Single-pixel masks on the mild spatial views (the behaviour before block masks). */
    public Config(double maskFraction) {
      this(maskFraction, 1, ViewRecipe.mildSpatial(), false);
    }
  }

  private final ConvHead head;
  private final Config config;

  public MaskedDenoising(Backbone backbone, Config config, RandomGenerator rng) {
    super("denoise", backbone, rng);
    this.config = config;
    this.head = new ConvHead(store, "pretext.denoise", Dims.TWO, backbone.channels()[0], 0, 1, rng);
  }

  @Override
  public List<Stage> stages() {
    return List.of(new Stage("denoise", 1.0, store.parameters(), this::inputs, this::loss));
  }

  /** Inputs: [masked views, masks (1 = masked), targets: the views, or with restoreIntensity the views before their curves]. */
  PretextBatch inputs(PretrainImages slices, int n, int[] size, RandomGenerator rng) {
    int h = size[0];
    int w = size[1];
    float[] masked = new float[n * h * w];
    float[] mask = new float[n * h * w];
    float[] target = new float[n * h * w];
    for (int i = 0; i < n; i++) {
      ViewRecipe.View view = config.views().sample(slices.random(rng), h, w, rng);
      Slice2d s = view.data();
      Slice2d targetView = config.restoreIntensity() ? view.beforeIntensity() : s;
      System.arraycopy(targetView.image(), 0, target, i * h * w, h * w);
      System.arraycopy(s.image(), 0, masked, i * h * w, h * w);
      double sigma = std(s.image());
      int[] pixels = config.maskBlock() == 1 ? stratifiedMask(h, w, config.maskFraction(), rng)
          : blockMask(h, w, config.maskFraction(), config.maskBlock(), rng);
      for (int p : pixels) {
        masked[i * h * w + p] = (float) (rng.nextGaussian() * sigma);
        mask[i * h * w + p] = 1;
      }
    }
    return new PretextBatch(List.of(masked, mask, target), List.of(), n, h, w);
  }

  StepLoss loss(PretextBatch b, MixedPrecision amp) {
    Tensor x = Tensor.of(b.inputs().get(0), b.tensorShape());
    Tensor mask = Tensor.of(b.inputs().get(1), b.tensorShape());
    Tensor target = Tensor.of(b.inputs().get(2), b.tensorShape());
    Tensor out = amp.forward(() -> head.forward(body.forward(x)));
    return StepLoss.of(config.restoreIntensity() ? restorationL1(out, target, mask) : maskedL1(out, target, mask));
  }

  /** Mean absolute error over the masked pixels only. */
  static Tensor maskedL1(Tensor prediction, Tensor target, Tensor mask) {
    return regionMean(prediction.toFloat().sub(target).abs(), mask);
  }

  /**
   * The masked pixels' mean absolute error plus the unmasked pixels': each region's mean, so the
   * three quarters of the slice that are only remapped do not drown the inpainting term.
   */
  static Tensor restorationL1(Tensor prediction, Tensor target, Tensor mask) {
    Tensor error = prediction.toFloat().sub(target).abs();
    Tensor unmasked = mask.mul(-1.0).add(1.0);
    return regionMean(error, mask).add(regionMean(error, unmasked));
  }

  private static Tensor regionMean(Tensor error, Tensor region) {
    return error.mul(region).sum().div(region.sum().add(1e-8));
  }

  /** One pixel per box of side round(sqrt(1/p)), uniformly placed inside its box (boxes clipped at edges). */
  static int[] stratifiedMask(int h, int w, double fraction, RandomGenerator rng) {
    int side = Math.max(1, (int) Math.round(Math.sqrt(1 / fraction)));
    int rows = (h + side - 1) / side;
    int cols = (w + side - 1) / side;
    int[] out = new int[rows * cols];
    int k = 0;
    for (int by = 0; by < rows; by++) {
      for (int bx = 0; bx < cols; bx++) {
        int y = Math.min(h - 1, by * side + rng.nextInt(side));
        int x = Math.min(w - 1, bx * side + rng.nextInt(side));
        out[k++] = y * w + x;
      }
    }
    return out;
  }

  /**
   * Blocks of {@code block x block} pixels, one per cell of side round(block / sqrt(fraction)) at a
   * uniformly drawn place inside the cell, clipped at the slice's edges: about {@code fraction} of
   * the pixels, spread over the slice, each block at least a cell's margin from the next.
   */
  static int[] blockMask(int h, int w, double fraction, int block, RandomGenerator rng) {
    int side = Math.max(block, (int) Math.round(block / Math.sqrt(fraction)));
    int rows = (h + side - 1) / side;
    int cols = (w + side - 1) / side;
    int[] out = new int[rows * cols * block * block];
    int k = 0;
    for (int by = 0; by < rows; by++) {
      for (int bx = 0; bx < cols; bx++) {
        int y0 = by * side + rng.nextInt(side - block + 1);
        int x0 = bx * side + rng.nextInt(side - block + 1);
        for (int y = y0; y < Math.min(h, y0 + block); y++) {
          for (int x = x0; x < Math.min(w, x0 + block); x++) {
            out[k++] = y * w + x;
          }
        }
      }
    }
    return java.util.Arrays.copyOf(out, k);
  }

  private static double std(float[] v) {
    double mean = 0;
    for (float x : v) {
      mean += x;
    }
    mean /= v.length;
    double ss = 0;
    for (float x : v) {
      ss += (x - mean) * (x - mean);
    }
    return Math.sqrt(ss / v.length);
  }
}
