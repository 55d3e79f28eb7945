package org.medssl.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;
import org.medssl.MedsslException;
import org.medssl.tensor.SelfCheck.Layout;

/**
 * Loads libtorch once, configures threads and decides how kernels run on this CPU. Call
 * {@link #init} before any tensor work.
 *
 * <p>The decision comes from the self-check ({@link EngineSelection}): never assume a CPU computes
 * right. It is made once per CPU signature and cached ({@link VerdictCache}); {@code
 * MEDSSL_ENGINE=<name>} (or {@code -Dmedssl.engine}) overrides it.
 */
public final class Engine {
  /** What a check at start-up covers: the layout medssl runs. The doctor adds channels-last. */
  /** oneDNN's instruction-set cap, read when it first runs: the one variable a configuration may need. */
  static final String ISA_VARIABLE = "ONEDNN_MAX_CPU_ISA";

  static final List<Layout> STARTUP_LAYOUTS = List.of(Layout.CHANNELS_FIRST);

  private static volatile boolean loaded;
  /** True once a configuration is chosen and applied: tensor work may start. */
  private static volatile boolean ready;
  /** Set while this (lock-holding) thread runs the self-check, whose own tensors re-enter {@link #init}. */
  private static boolean choosing;
  private static volatile EngineConfig config = EngineConfig.ONEDNN;
  private static EngineChoice choice;
  private static int choiceThreads = -1;
  private static volatile boolean relaunchable;

  private Engine() {}

  /**
   * Loads the natives (idempotent), sets the intra-op thread count and applies the engine
   * configuration chosen for this CPU and thread count (cached, or checked now: about 20 s on 2
   * cores the first time).
   *
   * @param threads number of threads, or 0 for the cores available to this JVM
   */
  public static synchronized void init(int threads) {
    if (choosing) {
      return; // the self-check's own tensors: the configuration is being decided on this thread
    }
    loadWithThreads(threads);
    int n = torch.get_num_threads();
    if (choice == null || choiceThreads != n) {
      decide(n, () -> choose(n));
    }
    ready = true;
  }

  /** Loads the natives and sets the threads, without choosing a configuration (a check's child JVM). */
  static synchronized void loadWithThreads(int threads) {
    if (!loaded) {
      load();
      loaded = true;
      // NNPACK cannot start on CPUs it does not know and then warns on every convolution it was
      // asked about; ATen's other kernels serve those convolutions anyway.
      torch.globalContext().setUserEnabledNNPACK(false);
    }
    torch.set_num_threads(resolve(threads));
  }

  /**
   * The threads asked for, or this process's share of the cores: all of them, or, for one of
   * {@code LOCAL_WORLD_SIZE} processes on this machine (torchrun's and {@code medssl launch}'s
   * variable), an equal part of them, at least one.
   */
  private static int resolve(int threads) {
    if (threads > 0) {
      return threads;
    }
    int cores = Runtime.getRuntime().availableProcessors();
    String local = System.getenv("LOCAL_WORLD_SIZE");
    try {
      int processes = local == null ? 1 : Math.max(1, Integer.parseInt(local.trim()));
      return Math.max(1, cores / processes);
    } catch (NumberFormatException e) {
      return cores; // Distributed reports a malformed variable when the group forms
    }
  }

  private static void decide(int threads, java.util.function.Supplier<EngineChoice> how) {
    choosing = true;
    try {
      choiceThreads = threads;
      choice = how.get();
      use(choice.config());
    } finally {
      choosing = false;
    }
  }

  /** Initialises with defaults if nobody did yet; used by code paths that need the engine. */
  static void ensureLoaded() {
    if (!ready) {
      init(0);
    }
  }

  /**
   * Lets {@link #init} restart this process (same command line) when the chosen configuration
   * needs an environment variable that oneDNN reads at load time. Only a command-line entry point
   * should allow it; elsewhere the engine falls back to the best configuration it can switch to.
   */
  public static void allowRelaunch() {
    relaunchable = true;
  }

  /** The configuration in force. */
  public static EngineConfig config() {
    return config;
  }

  /** The choice made at {@link #init}: configuration, verdict and the log line explaining it. */
  public static synchronized EngineChoice choice() {
    ensureLoaded();
    return choice;
  }

  /** The cached verdict for this CPU and {@code threads} (0 = all cores), read without loading libtorch. */
  public static Optional<EngineVerdict> cachedVerdict(int threads) {
    return VerdictCache.standard().find(CpuSignature.current(resolve(threads)).key());
  }

  /**
   * Runs the self-check on every candidate up to the chosen one, channels-first and channels-last,
   * stores the verdict and applies it: {@code medssl doctor --recheck}. It never restarts the
   * process: a choice that needs another environment is recorded, and this process runs the fallback.
   */
  public static synchronized EngineVerdict recheck(int threads) {
    loadWithThreads(threads);
    int n = torch.get_num_threads();
    EngineVerdict verdict = EngineSelection.select(CpuSignature.current(n), n,
        List.of(Layout.CHANNELS_FIRST, Layout.CHANNELS_LAST));
    store(verdict);
    decide(n, () -> fromVerdict(verdict, "checked now", false));
    ready = true;
    return verdict;
  }

  /** Switches the configuration of this process; it must not need a different instruction-set cap. */
  static synchronized void use(EngineConfig next) {
    if (!canRunHere(next)) {
      throw new IllegalStateException(next.name() + " needs " + environmentFor(next) + " before libtorch loads");
    }
    torch.globalContext().setUserEnabledMkldnn(next.oneDnn());
    config = next;
  }

  /** True when this process was started with the environment {@code candidate} needs. */
  static boolean canRunHere(EngineConfig candidate) {
    return candidate.isaCap() == null || candidate.isaCap().equalsIgnoreCase(activeIsaCap());
  }

  /** The environment a process needs for {@code candidate} (oneDNN reads it when it first runs). */
  static Map<String, String> environmentFor(EngineConfig candidate) {
    return candidate.isaCap() == null ? Map.of() : Map.of(ISA_VARIABLE, candidate.isaCap());
  }

  private static String activeIsaCap() {
    String cap = System.getenv(ISA_VARIABLE);
    return cap != null ? cap : System.getenv().getOrDefault("DNNL_MAX_CPU_ISA", "");
  }

  private static EngineChoice choose(int threads) {
    String override = Optional.ofNullable(System.getProperty("medssl.engine")).orElse(System.getenv("MEDSSL_ENGINE"));
    CpuSignature signature = CpuSignature.current(threads);
    VerdictCache cache = VerdictCache.standard();
    Optional<EngineVerdict> cached = cache.find(signature.key());
    if (override != null && !override.isBlank() && !override.trim().equalsIgnoreCase("auto")) {
      EngineConfig wanted = EngineConfig.named(override);
      if (!canRunHere(wanted)) {
        relaunchWith(wanted);
        throw new MedsslException("MEDSSL_ENGINE=" + wanted.name() + " needs " + environmentFor(wanted)
            + " set before the process starts; run through ./medssl, which restarts itself with it");
      }
      boolean bf16 = cached.map(v -> v.chosen().equals(wanted.name()) && v.bf16()).orElse(false);
      return new EngineChoice(wanted, cached.orElse(null), bf16, "engine " + wanted.name() + " (" + wanted.summary()
          + "; set by MEDSSL_ENGINE, self-check skipped; auto precision " + (bf16 ? "bf16" : "fp32") + ")");
    }
    if (cached.isPresent()) {
      return fromVerdict(cached.get(), "cached self-check", true);
    }
    EngineVerdict verdict = EngineSelection.select(signature, threads, STARTUP_LAYOUTS);
    store(verdict);
    return fromVerdict(verdict, "self-check just run", true);
  }

  private static EngineChoice fromVerdict(EngineVerdict verdict, String source, boolean mayRelaunch) {
    EngineConfig chosen = verdict.chosenConfig();
    String where = source + " on " + verdict.cpu();
    if (canRunHere(chosen)) {
      return new EngineChoice(chosen, verdict, verdict.bf16(), "engine " + chosen.name() + " (" + where + ": "
          + verdict.reason() + ")");
    }
    if (mayRelaunch) {
      relaunchWith(chosen);
    }
    EngineConfig fallback = verdict.fallbackConfig();
    return new EngineChoice(fallback, verdict, false, "engine " + fallback.name() + " (" + where + " chose "
        + chosen.name() + ", which needs " + environmentFor(chosen) + " at start; this process could not restart, so it"
        + " runs the fallback in fp32)");
  }

  /** Restarts the process with {@code wanted}'s environment where allowed; returns only if it could not. */
  private static void relaunchWith(EngineConfig wanted) {
    if (relaunchable && System.getenv(Relaunch.MARKER) == null) {
      Relaunch.exec(environmentFor(wanted));
    }
  }

  private static void store(EngineVerdict verdict) {
    try {
      VerdictCache.standard().store(verdict);
    } catch (IOException e) {
      // The verdict holds for this process; the next one checks again.
    }
  }

  public static int threads() {
    ensureLoaded();
    return torch.get_num_threads();
  }

  /**
   * Runs {@code work} with another intra-op thread count under the configuration in force, then
   * restores the count: kernels split their sums differently, so a result's change shows how much
   * of it is floating-point rounding (a study's noise floor).
   */
  public static synchronized <T> T withThreads(int threads, java.util.function.Supplier<T> work) {
    ensureLoaded();
    int before = torch.get_num_threads();
    torch.set_num_threads(threads);
    try {
      return work.get();
    } finally {
      torch.set_num_threads(before);
    }
  }

  /**
   * How idle OpenMP threads wait between parallel regions, as the environment told libgomp when
   * libtorch loaded (the launcher sets it; it cannot change afterwards).
   */
  public static String openmpWait() {
    String policy = System.getenv("OMP_WAIT_POLICY");
    String spins = System.getenv("GOMP_SPINCOUNT");
    boolean hasPolicy = policy != null && !policy.isBlank();
    boolean hasSpins = spins != null && !spins.isBlank();
    if (!hasPolicy && !hasSpins) {
      return "libgomp default";
    }
    return ((hasPolicy ? "OMP_WAIT_POLICY=" + policy + " " : "") + (hasSpins ? "GOMP_SPINCOUNT=" + spins : "")).trim();
  }

  public static String libtorchVersion() {
    return "libtorch 2.10.0 (JavaCPP presets 1.5.13, " + Loader.getPlatform() + ")";
  }

  private static void load() {
    if (System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
      Path cache = Path.of(System.getProperty("user.home"), ".javacpp", "cache");
      System.setProperty("org.bytedeco.javacpp.cachedir", cache.toString());
    }
    try {
      // Unpack every native library before the first load: loading them one by one can pick up
      // a system libtorch half-way and crash (see DESIGN.md, "Cold start").
      Files.createDirectories(Path.of(System.getProperty("org.bytedeco.javacpp.cachedir")));
      Loader.cacheResources("/org/bytedeco/pytorch/" + Loader.getPlatform() + "/");
      Loader.cacheResources("/org/bytedeco/openblas/" + Loader.getPlatform() + "/");
    } catch (Exception e) {
      throw new IllegalStateException("could not unpack libtorch natives: " + e.getMessage(), e);
    }
    Loader.load(torch.class);
  }
}
