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
  static final List<Layout> STARTUP_LAYOUTS = List.of(Layout.CHANNELS_FIRST);

  private static volatile boolean loaded;
  private static volatile EngineConfig config = EngineConfig.ONEDNN;
  private static EngineChoice choice;
  private static int choiceThreads = -1;
  private static volatile boolean relaunchable;

  private Engine() {}

  /**
   * Loads the natives (idempotent), sets the intra-op thread count and applies the engine
   * configuration chosen for this CPU and thread count (cached, or checked now: a few seconds).
   *
   * @param threads number of threads, or 0 for the cores available to this JVM
   */
  public static synchronized void init(int threads) {
    initForCheck(threads);
    int n = torch.get_num_threads();
    if (choice == null || choiceThreads != n) {
      choiceThreads = n;
      choice = choose(n);
      use(choice.config());
    }
  }

  /** Loads the natives and sets the threads, without choosing a configuration (a check's child JVM). */
  static synchronized void initForCheck(int threads) {
    if (!loaded) {
      load();
      loaded = true;
      // NNPACK cannot start on CPUs it does not know and then warns on every convolution it was
      // asked about; ATen's other kernels serve those convolutions anyway.
      torch.globalContext().setUserEnabledNNPACK(false);
    }
    torch.set_num_threads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
  }

  /** Initialises with defaults if nobody did yet; used by code paths that need the engine. */
  static void ensureLoaded() {
    if (!loaded) {
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

  /**
   * Runs the self-check again on every candidate (channels-first and channels-last), stores the
   * verdict and applies it: {@code medssl doctor --recheck}.
   */
  public static synchronized EngineVerdict recheck() {
    ensureLoaded();
    CpuSignature signature = CpuSignature.current(choiceThreads);
    EngineVerdict verdict = EngineSelection.select(signature, choiceThreads,
        List.of(Layout.CHANNELS_FIRST, Layout.CHANNELS_LAST));
    store(verdict);
    choice = fromVerdict(verdict, "checked now");
    use(choice.config());
    return verdict;
  }

  /**
   * The self-check of {@code config} (or of every candidate up to the first passing one) in both
   * layouts, without changing the cached verdict: what the doctor shows beside the chosen one.
   */
  public static synchronized CandidateResult check(EngineConfig candidate) {
    ensureLoaded();
    return EngineSelection.evaluate(candidate, choiceThreads, List.of(Layout.CHANNELS_FIRST, Layout.CHANNELS_LAST));
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
    return candidate.isaCap() == null ? Map.of() : Map.of("ONEDNN_MAX_CPU_ISA", candidate.isaCap());
  }

  private static String activeIsaCap() {
    String cap = System.getenv("ONEDNN_MAX_CPU_ISA");
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
      return fromVerdict(cached.get(), "cached self-check");
    }
    EngineVerdict verdict = EngineSelection.select(signature, threads, STARTUP_LAYOUTS);
    store(verdict);
    return fromVerdict(verdict, "self-check just run");
  }

  private static EngineChoice fromVerdict(EngineVerdict verdict, String source) {
    EngineConfig chosen = verdict.chosenConfig();
    String where = source + " on " + verdict.cpu();
    if (canRunHere(chosen)) {
      return new EngineChoice(chosen, verdict, verdict.bf16(), "engine " + chosen.name() + " (" + where + ": "
          + verdict.reason() + ")");
    }
    relaunchWith(chosen);
    EngineConfig fallback = verdict.fallbackConfig();
    return new EngineChoice(fallback, verdict, false, "engine " + fallback.name() + " (" + where + " chose "
        + chosen.name() + ", which needs " + environmentFor(chosen) + " at start; this process could not restart, so it"
        + " runs the fallback in fp32)");
  }

  private static void relaunchWith(EngineConfig wanted) {
    if (relaunchable && System.getenv(Relaunch.MARKER) == null) {
      Relaunch.exec(environmentFor(wanted)); // does not return
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
