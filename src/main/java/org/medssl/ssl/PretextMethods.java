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

  /** The EMA decay a method starts from: the option if given, else the method's paper value. */
  public static double tau(String method, Options options) {
    if (!Double.isNaN(options.tau0())) {
      return options.tau0();
    }
    return "pgl".equals(method) ? 0.996 : 0.99;
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
