package org.medssl.ssl;

import org.medssl.nn.Backbone;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.medssl.MedsslException;
import org.medssl.augment.PglViewRecipe;
import org.medssl.augment.ViewRecipe;
import org.medssl.nn.Dims;

/**
 * The registry of pretext methods: one line per method. Adding a method is a class plus a line
 * here; the CLI lists the names from this map.
 */
public final class PretextMethods {
  /**
   * Method-specific options that the command line and study configs can set.
   *
   * @param partitionPositives contrastive: global positives are same-partition slices of different volumes
   * @param maskFraction denoise: fraction of pixels masked
   * @param tau0 starting EMA decay of the momentum methods; NaN means the method's own default
   *     (BYOL 0.99, PGL 0.996)
   * @param flipAlign pgl: undo each view's flips on its feature map (FlipAlign)
   * @param cropAlign pgl: compare only the region both crops show (CSAlign); with both alignments
   *     off the whole feature maps are compared as they are (the paper's ablation)
   * @param flips every method: views are flipped (left/right, and per method up/down or every
   *     axis). Off by default: flip invariance trains out laterality, which segmentation needs;
   *     without flips PGL's FlipAlign is the identity
   * @param remapProbability every method: probability that a view's intensities go through a
   *     random non-monotone curve ({@link org.medssl.augment.IntensityCurve}), drawn per view
   * @param maskBlock denoise: side of the masked square blocks in pixels (1: single pixels)
   * @param localLevel contrastive: decoder level of the local loss (0: full resolution, k: 1/2^k)
   * @param subSliceCrops pgl on slices: crops of 60-90 % of the slice side instead of the paper's
   *     110-140 % of the input, which a whole-slice input clamps to the slice
   * @param localCrops contrastive: the local stage's views are crops of 50-100 % of the slice with
   *     regions matched through their geometry, instead of two views of the whole slice at the same
   *     positions (where a region's position alone tells its partner)
   */
  public record Options(boolean partitionPositives, double maskFraction, double tau0, boolean flipAlign,
      boolean cropAlign, boolean flips, double remapProbability, int maskBlock, int localLevel,
      boolean subSliceCrops, boolean localCrops) {
    public static final boolean FLIPS = false;
    public static final double REMAP_PROBABILITY = 0.5;
    public static final double MASK_FRACTION = 0.25;
    public static final int MASK_BLOCK = 8;
    public static final int LOCAL_LEVEL = 2;
    public static final boolean SUB_SLICE_CROPS = true;
    public static final boolean LOCAL_CROPS = true;

    public Options {
      if (!(remapProbability >= 0 && remapProbability <= 1)) {
        throw new MedsslException("pretraining: the remap probability must be in [0, 1], got " + remapProbability);
      }
      if (maskBlock < 1) {
        throw new MedsslException("pretraining: the mask block must be at least 1 pixel, got " + maskBlock);
      }
      if (localLevel < 0) {
        throw new MedsslException("pretraining: the local level must be >= 0, got " + localLevel);
      }
    }

    /** Options with these alignment switches and the view, mask and level defaults. */
    public Options(boolean partitionPositives, double maskFraction, double tau0, boolean flipAlign,
        boolean cropAlign) {
      this(partitionPositives, maskFraction, tau0, flipAlign, cropAlign, FLIPS, REMAP_PROBABILITY, MASK_BLOCK,
          LOCAL_LEVEL, SUB_SLICE_CROPS, LOCAL_CROPS);
    }

    /** Options with PGL's alignment fully on. */
    public Options(boolean partitionPositives, double maskFraction, double tau0) {
      this(partitionPositives, maskFraction, tau0, true, true);
    }

    public static Options defaults() {
      return new Options(false, MASK_FRACTION, Double.NaN);
    }

    /**
     * The views, masks and level of the code before these options existed: flips, no remaps,
     * single-pixel masks, the local loss at full resolution on whole-slice views, PGL slice crops
     * clamped to the slice.
     */
    public Options asBefore() {
      return new Options(partitionPositives, maskFraction, tau0, flipAlign, cropAlign, true, 0, 1, 0, false, false);
    }

    public Options withAlignment(boolean flip, boolean crop) {
      return new Options(partitionPositives, maskFraction, tau0, flip, crop, flips, remapProbability, maskBlock,
          localLevel, subSliceCrops, localCrops);
    }

    public Options withViews(boolean flipViews, double remap) {
      return new Options(partitionPositives, maskFraction, tau0, flipAlign, cropAlign, flipViews, remap, maskBlock,
          localLevel, subSliceCrops, localCrops);
    }

    public Options withMaskBlock(int block) {
      return new Options(partitionPositives, maskFraction, tau0, flipAlign, cropAlign, flips, remapProbability, block,
          localLevel, subSliceCrops, localCrops);
    }

    public Options withLocalLevel(int level) {
      return new Options(partitionPositives, maskFraction, tau0, flipAlign, cropAlign, flips, remapProbability,
          maskBlock, level, subSliceCrops, localCrops);
    }

    public Options withSubSliceCrops(boolean on) {
      return new Options(partitionPositives, maskFraction, tau0, flipAlign, cropAlign, flips, remapProbability,
          maskBlock, localLevel, on, localCrops);
    }

    public Options withLocalCrops(boolean on) {
      return new Options(partitionPositives, maskFraction, tau0, flipAlign, cropAlign, flips, remapProbability,
          maskBlock, localLevel, subSliceCrops, on);
    }

    /**
     * The settings that differ from what the code did before they existed, for fingerprints: empty
     * for a pretraining the old code would have run identically, so its stored results still match,
     * and never empty for one it would not (the defaults included). Method-specific settings appear
     * only for their method.
     */
    public String describeChanges(String method) {
      StringBuilder b = new StringBuilder();
      b.append(flipAlign ? "" : ",flipAlign=false").append(cropAlign ? "" : ",cropAlign=false");
      b.append(flips ? "" : ",flips=false");
      b.append(remapProbability == 0 ? "" : ",remap=" + remapProbability);
      b.append(maskBlock == 1 || !"denoise".equals(method) ? "" : ",maskBlock=" + maskBlock);
      b.append(localLevel == 0 || !"contrastive".equals(method) ? "" : ",localLevel=" + localLevel);
      b.append(!subSliceCrops || !"pgl".equals(method) ? "" : ",subSliceCrops=true");
      b.append(!localCrops || !"contrastive".equals(method) ? "" : ",localCrops=true");
      return b.toString();
    }

    public Options withTau0(double tau) {
      return new Options(partitionPositives, maskFraction, tau, flipAlign, cropAlign, flips, remapProbability,
          maskBlock, localLevel, subSliceCrops, localCrops);
    }
  }

  /** Builds a method for a backbone. */
  @FunctionalInterface
  public interface Factory {
    PretextMethod create(Backbone backbone, Options options, RandomGenerator rng);
  }

  /** A registered method: how to build it, and the network dimensions it works in. */
  private record Entry(Factory factory, Set<Dims> dims) {}

  private static final Map<String, Entry> METHODS = new LinkedHashMap<>();

  private static void register(String name, Set<Dims> dims, Factory factory) {
    METHODS.put(name, new Entry(factory, dims));
  }

  static {
    // denoise and contrastive mask and crop 2D slices; byol and pgl have volume views too
    register("denoise", Set.of(Dims.TWO), (b, o, r) -> new MaskedDenoising(b,
        new MaskedDenoising.Config(o.maskFraction(), o.maskBlock(), views(ViewRecipe.mildSpatial(), o)), r));
    register("contrastive", Set.of(Dims.TWO), (b, o, r) -> new Contrastive(b,
        new Contrastive.Config(0.1, o.partitionPositives(), 4, 13, 0.5, o.localLevel(),
            views(ViewRecipe.globalContrastive(), o),
            views(o.localCrops() ? ViewRecipe.localCrops() : ViewRecipe.intensityOnly(), o)), r));
    register("byol", Set.of(Dims.TWO, Dims.THREE), (b, o, r) -> new Byol(b, new Byol.Config(tau("byol", o), 512, 128,
        views(ViewRecipe.byol(), o), views(PglViewRecipe.paper(), o)), r));
    register("pgl", Set.of(Dims.TWO, Dims.THREE), (b, o, r) -> new Pgl(b, new Pgl.Config(tau("pgl", o), 256, 64,
        new PriorAlignment(o.flipAlign(), o.cropAlign()), pglViews(b, o)), r));
  }

  /** A slice recipe with the options' flips and intensity remaps. */
  static ViewRecipe views(ViewRecipe recipe, Options o) {
    return recipe.withFlips(o.flips()).withRemap(o.remapProbability());
  }

  static PglViewRecipe views(PglViewRecipe recipe, Options o) {
    return recipe.withFlips(o.flips()).withRemap(o.remapProbability());
  }

  /** PGL's views: the paper's, with the options' flips and remaps, and sub-slice crops on slices if asked. */
  static PglViewRecipe pglViews(Backbone b, Options o) {
    PglViewRecipe r = views(PglViewRecipe.paper(), o);
    return b.dims() == Dims.TWO && o.subSliceCrops() ? r.withCrops(PglViewRecipe.SUB_SLICE_CROPS) : r;
  }

  private PretextMethods() {}

  /** What a budget-sized EMA leaves of the target's step-0 weights at most: 1 %. */
  public static final double EMA_REMAINDER = 0.01;
  /** The lowest budget-sized starting decay: below it the target is hardly an average any more. */
  public static final double MIN_BUDGET_TAU = 0.9;

  /** The EMA decay a method starts from: the option if given, else the method's paper value. */
  public static double tau(String method, Options options) {
    if (!Double.isNaN(options.tau0())) {
      return options.tau0();
    }
    return "pgl".equals(method) ? 0.996 : 0.99;
  }

  /**
   * The EMA decay a run of {@code steps} steps starts from: the option if given, else for the
   * momentum methods (byol, pgl) {@link #budgetTau} of the paper's value; the others have no target
   * and keep the constant their descriptions always showed.
   */
  public static double tau(String method, Options options, int steps) {
    return Double.isNaN(options.tau0()) && hasEmaTarget(method) ? budgetTau(tau(method, options), steps)
        : tau(method, options);
  }

  /** Whether the method keeps an EMA target network (and so has a tau that matters). */
  public static boolean hasEmaTarget(String method) {
    return "byol".equals(method) || "pgl".equals(method);
  }

  /**
   * A starting decay sized to the run, so that the target forgets its step-0 weights. The target
   * is updated after steps k = 1..K with {@code tau_k = 1 - (1 - tau0)(cos(pi k/K) + 1)/2}
   * ({@link EmaSchedule}); what remains of the step-0 weights is {@code prod tau_k <= exp(-sum(1 -
   * tau_k))}, and {@code sum_{k=1..K} (cos(pi k/K) + 1) = K - 1}, so the remainder is at most
   * {@code exp(-(1 - tau0)(K - 1)/2)}. Keeping it below r = {@value #EMA_REMAINDER} needs
   * {@code tau0 <= 1 - 2 ln(1/r)/(K - 1)} (about 1 - 9.2/K). The result is that bound rounded
   * down to 4 decimals and clamped to [{@value #MIN_BUDGET_TAU}, {@code paper}]: long runs keep the
   * paper's value (BYOL's 0.99 from 923 steps, PGL's 0.996 from 2304), short ones start lower
   * (250 steps: 0.963 instead of leaving 29 % (BYOL) or 61 % (PGL) of the step-0 weights).
   * Runs under 94 steps hit the floor and keep more than 1 %.
   *
   * <p>BYOL fine-tunes from its target encoder ({@code encoder.*} is the target, as in Kalapos's
   * code). With a paper start on a short run that file was mostly the random initialisation; sizing
   * tau0 fixes the cause for every momentum method (PGL's online encoder learns against the target
   * too), so BYOL keeps transferring the target rather than switching to the online encoder for
   * short runs, which would make what a BYOL file holds depend on its length.
   */
  public static double budgetTau(double paper, int steps) {
    double bound = steps < 2 ? 0 : 1 - 2 * Math.log(1 / EMA_REMAINDER) / (steps - 1);
    return Math.max(MIN_BUDGET_TAU, Math.min(paper, Math.floor(bound * 1e4) / 1e4));
  }

  public static Iterable<String> names() {
    return METHODS.keySet();
  }

  public static PretextMethod create(String name, Backbone backbone, Options options, RandomGenerator rng) {
    requireDims(name, backbone.dims());
    return METHODS.get(name).factory().create(backbone, options, rng);
  }

  /** A known method that works in {@code dims}, else one line saying which methods do. */
  public static void requireDims(String name, Dims dims) {
    Entry e = METHODS.get(name);
    if (e == null) {
      throw new MedsslException("--method: unknown pretext method '" + name + "'; available: "
          + String.join(", ", METHODS.keySet()));
    }
    if (!e.dims().contains(dims)) {
      throw new MedsslException("--method " + name + " works on " + (dims == Dims.THREE ? "2D slices" : "3D volumes")
          + " only, not --dims " + dims.count() + "; methods for --dims " + dims.count() + ": " + String.join(", ",
              METHODS.entrySet().stream().filter(m -> m.getValue().dims().contains(dims)).map(Map.Entry::getKey)
                  .toList()));
    }
  }
}
