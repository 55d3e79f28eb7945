package org.medssl.ssl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.medssl.MedsslException;
import org.medssl.nn.Backbone;
import org.medssl.nn.Dims;

/**
 * The registry of pretext methods: one line per method, naming the {@link MethodSpec} its class
 * declares (name, dimensions, options, factory). The command line, study configs and fingerprints
 * learn every method and option from here.
 */
public final class PretextMethods {
  private static final Map<String, MethodSpec> METHODS = new LinkedHashMap<>();

  /**
   * Options fingerprinted for every method, in this order: the three that existed before options
   * were per method, so the fingerprints of earlier pretrainings stay as they were.
   */
  private static final List<MethodOption<?>> ALWAYS_FINGERPRINTED = List.of(ViewOptions.PARTITION_POSITIVES,
      MaskedDenoising.MASK_FRACTION, MomentumMethod.TAU);

  static {
    register(MaskedDenoising.SPEC);
    register(Contrastive.SPEC);
    register(Byol.SPEC);
    register(Pgl.SPEC);
  }

  /**
   * Adds a method (public so that a method defined elsewhere, a test's included, registers the same
   * way). Its options must not clash with another method's option of the same name.
   */
  public static synchronized void register(MethodSpec spec) {
    for (MethodOption<?> o : spec.options()) {
      MethodOption<?> known = option(o.name());
      if (known != null && known != o) {
        throw new IllegalArgumentException("method " + spec.name() + ": option " + o.name()
            + " is already declared by another method with other settings");
      }
    }
    METHODS.put(spec.name(), spec);
  }

  /** Removes a method registered with {@link #register} (a test's, once it is done). */
  public static synchronized void unregister(String name) {
    METHODS.remove(name);
  }

  private PretextMethods() {}

  /** Every registered method's options, each once, in registration order. */
  public static synchronized List<MethodOption<?>> allOptions() {
    Map<String, MethodOption<?>> all = new LinkedHashMap<>();
    METHODS.values().forEach(m -> m.options().forEach(o -> all.putIfAbsent(o.name(), o)));
    return List.copyOf(all.values());
  }

  private static MethodOption<?> option(String name) {
    for (MethodSpec m : METHODS.values()) {
      for (MethodOption<?> o : m.options()) {
        if (o.name().equals(name)) {
          return o;
        }
      }
    }
    return null;
  }

  /**
   * The fingerprint part of a {@code method} run's options, its tau resolved for {@code steps}
   * steps: {@code ,partitionPositives=..,maskFraction=..,tau=..} for every method, then the
   * method's own options that differ from what the code did before them.
   */
  public static String fingerprint(String method, MethodOptions options, int steps) {
    MethodOptions resolved = options.with(MomentumMethod.TAU, tau(method, options, steps));
    List<MethodOption<?>> own = new ArrayList<>(ALWAYS_FINGERPRINTED);
    spec(method).options().stream().filter(o -> !own.contains(o)).forEach(own::add);
    return resolved.fingerprint(own);
  }

  /** The options a run of {@code steps} steps uses: with the EMA start sized to the run when no tau is given. */
  public static MethodOptions resolve(String method, MethodOptions options, int steps) {
    return spec(method).hasEmaTarget() ? options.with(MomentumMethod.TAU, tau(method, options, steps)) : options;
  }

  /** What a budget-sized EMA leaves of the target's step-0 weights at most: 1 %. */
  public static final double EMA_REMAINDER = 0.01;
  /** The lowest budget-sized starting decay: below it the target is hardly an average any more. */
  public static final double MIN_BUDGET_TAU = 0.9;

  /** The EMA decay a method starts from: the option if given, else the method's paper value (0.99 for the rest). */
  public static double tau(String method, MethodOptions options) {
    double paper = spec(method).paperTau();
    return MomentumMethod.tau0(options, Double.isNaN(paper) ? Byol.PAPER_TAU : paper);
  }

  /**
   * The EMA decay a run of {@code steps} steps starts from: the option if given, else for the
   * momentum methods (byol, pgl) {@link #budgetTau} of the paper's value; the others have no target
   * and keep the constant their descriptions always showed.
   */
  public static double tau(String method, MethodOptions options, int steps) {
    return !options.isSet(MomentumMethod.TAU) && hasEmaTarget(method) ? budgetTau(tau(method, options), steps)
        : tau(method, options);
  }

  /** Whether the method keeps an EMA target network (and so has a tau that matters). */
  public static boolean hasEmaTarget(String method) {
    return spec(method).hasEmaTarget();
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

  public static synchronized Iterable<String> names() {
    return List.copyOf(METHODS.keySet());
  }

  public static PretextMethod create(String name, Backbone backbone, MethodOptions options, RandomGenerator rng) {
    requireUsable(name, options, backbone.dims());
    return spec(name).factory().create(backbone, options, rng);
  }

  /** A registered method's declaration, or one line naming the methods there are. */
  public static synchronized MethodSpec spec(String name) {
    MethodSpec e = METHODS.get(name);
    if (e == null) {
      throw new MedsslException("--method: unknown pretext method '" + name + "'; available: "
          + String.join(", ", METHODS.keySet()));
    }
    return e;
  }

  /**
   * {@link #requireDims}, and each of the method's options set in {@code options} that means
   * something in other dimensions only ({@link MethodOption#onlyIn}); options that are not the
   * method's are ignored, as everywhere.
   */
  public static void requireUsable(String name, MethodOptions options, Dims dims) {
    requireDims(name, dims);
    for (MethodOption<?> o : spec(name).options()) {
      if (o.onlyIn() != null && o.onlyIn().dims() != dims && options.isSet(o)) {
        throw new MedsslException(name + ": " + o.name() + " " + o.onlyIn().reason());
      }
    }
  }

  /** A known method that works in {@code dims}, else one line saying which methods do. */
  public static synchronized void requireDims(String name, Dims dims) {
    MethodSpec e = spec(name);
    if (!e.dims().contains(dims)) {
      throw new MedsslException("--method " + name + " works on " + (dims == Dims.THREE ? "2D slices" : "3D volumes")
          + " only, not --dims " + dims.count() + "; methods for --dims " + dims.count() + ": " + String.join(", ",
              METHODS.values().stream().filter(m -> m.dims().contains(dims)).map(MethodSpec::name).toList()));
    }
  }
}
