package org.medssl.tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;

/** Loads libtorch once and configures threads. Call {@link #init} before any tensor work. */
public final class Engine {
  private static volatile boolean loaded;

  private Engine() {}

  /**
   * Loads the natives (idempotent) and sets the intra-op thread count.
   *
   * @param threads number of threads, or 0 for the cores available to this JVM
   */
  public static synchronized void init(int threads) {
    if (!loaded) {
      load();
      loaded = true;
    }
    torch.set_num_threads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
  }

  /** Initialises with defaults if nobody did yet; used by code paths that need the engine. */
  static void ensureLoaded() {
    if (!loaded) {
      init(0);
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
