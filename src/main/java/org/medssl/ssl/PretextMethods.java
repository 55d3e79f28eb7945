package org.medssl.ssl;

import org.medssl.nn.Backbone;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.medssl.MedsslException;
import org.medssl.augment.PglViewRecipe;

/**
 * The registry of pretext methods: one line per method. Adding a method is a class plus a line
 * here; the CLI lists the names from this map.
 */
public final class PretextMethods {
  /**
   * Method-specific options that the command line can set.
   *
   * @param tau0 starting EMA decay of the momentum methods (byol, pgl)
   * @param flipAlign pgl: undo each view's flips on its feature map (FlipAlign)
   * @param cropAlign pgl: compare only the region both crops show (CSAlign); with both alignments
   *     off the whole feature maps are compared as they are (the paper's ablation)
   */
  /**
   * @param tau0 starting EMA decay of the momentum methods; NaN means the method's own default
   *     (BYOL 0.99, PGL 0.996)
   */
  public record Options(boolean partitionPositives, double maskFraction, double tau0, boolean flipAlign,
      boolean cropAlign) {
    /** Options with PGL's alignment fully on. */
    public Options(boolean partitionPositives, double maskFraction, double tau0) {
      this(partitionPositives, maskFraction, tau0, true, true);
    }

    public static Options defaults() {
      return new Options(false, 0.02, Double.NaN);
    }

    public Options withAlignment(boolean flip, boolean crop) {
      return new Options(partitionPositives, maskFraction, tau0, flip, crop);
    }

    public Options withTau0(double tau) {
      return new Options(partitionPositives, maskFraction, tau, flipAlign, cropAlign);
    }
  }

  /** Builds a method for a backbone. */
  @FunctionalInterface
  public interface Factory {
    PretextMethod create(Backbone backbone, Options options, RandomGenerator rng);
  }

  private static final Map<String, Factory> METHODS = new LinkedHashMap<>();

  static {
    METHODS.put("denoise", (b, o, r) -> new MaskedDenoising(b, new MaskedDenoising.Config(o.maskFraction()), r));
    METHODS.put("contrastive", (b, o, r) -> new Contrastive(b,
        new Contrastive.Config(0.1, o.partitionPositives(), 4, 13, 0.5), r));
    METHODS.put("byol", (b, o, r) -> new Byol(b, new Byol.Config(tau("byol", o), 512, 128), r));
    METHODS.put("pgl", (b, o, r) -> new Pgl(b, new Pgl.Config(tau("pgl", o), 256, 64,
        new PriorAlignment(o.flipAlign(), o.cropAlign()), PglViewRecipe.paper()), r));
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
   * The EMA decay a run of {@code steps} steps starts from: the option if given, else
   * {@link #budgetTau} of the method's paper value.
   */
  public static double tau(String method, Options options, int steps) {
    return Double.isNaN(options.tau0()) ? budgetTau(tau(method, options), steps) : options.tau0();
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
    Factory f = METHODS.get(name);
    if (f == null) {
      throw new MedsslException("--method: unknown pretext method '" + name + "'; available: "
          + String.join(", ", METHODS.keySet()));
    }
    return f.create(backbone, options, rng);
  }
}
