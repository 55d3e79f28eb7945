package org.medssl.study.store;

import org.medssl.study.plan.Pretraining;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.medssl.MedsslException;
import org.medssl.Version;
import org.medssl.io.AtomicFiles;
import org.medssl.study.plan.Fingerprint;
import org.medssl.tensor.Engine;

/**
 * Pretrained models shared between studies (and the demo), by the fingerprint of their
 * description and of the build that made them: {@code <dir>/<fingerprint>-<build>.medssl} and
 * {@code .json} (the record, written after the model, so its presence means the model is
 * complete). A study looks here before running a pretraining and stores each one it finishes. The
 * description names the method, every setting, the network, the data (a directory by its path, a
 * phantom by its parameters) and the precision; the build is {@link Version#code()}, the classes a
 * pretraining runs, and the libtorch version, so a changed pretext method, view, engine or phantom
 * generator does not reuse an older build's pretrainings. Not covered: a data directory whose
 * content changed under the same path (then delete the cache directory).
 *
 * <p>Where: {@code $MEDSSL_PRETRAINED_CACHE} if set ({@code off} disables the cache; the test
 * JVMs set that), else {@code $MEDSSL_CACHE_DIR/pretrained}, else
 * {@code $XDG_CACHE_HOME/medssl/pretrained}, else {@code ~/.cache/medssl/pretrained}.
 */
public final class PretrainedCache {
  public static final String ENV = "MEDSSL_PRETRAINED_CACHE";
  private final Path dir;
  private final String build;

  /** The cache in {@code dir} for the build with this fingerprint. */
  public PretrainedCache(Path dir, String build) {
    this.dir = dir.toAbsolutePath().normalize();
    this.build = build;
  }

  /** The cache in {@code dir} for this build; empty when its classes cannot be read to fingerprint it. */
  public static Optional<PretrainedCache> forThisBuild(Path dir) {
    return Version.code().map(code -> new PretrainedCache(dir, Fingerprint.of(code + ";" + Engine.libtorchVersion())));
  }

  /** The default place, or empty when {@value #ENV} is {@code off}. */
  public static Optional<Path> defaultDir() {
    return defaultDir(System.getenv(), System.getProperty("user.home"));
  }

  public static Optional<Path> defaultDir(Map<String, String> env, String home) {
    String own = env.get(ENV);
    if (own != null && !own.isBlank()) {
      return own.strip().equalsIgnoreCase("off") ? Optional.empty() : Optional.of(Path.of(own));
    }
    String medssl = env.get("MEDSSL_CACHE_DIR");
    if (medssl != null && !medssl.isBlank()) {
      return Optional.of(Path.of(medssl, "pretrained"));
    }
    String xdg = env.get("XDG_CACHE_HOME");
    Path base = xdg == null || xdg.isBlank() ? Path.of(home, ".cache") : Path.of(xdg);
    return Optional.of(base.resolve("medssl").resolve("pretrained"));
  }

  public Path dir() {
    return dir;
  }

  /** Where this pretraining's model is (or would be) cached. */
  public Path model(Pretraining p) {
    return model(p.fingerprint());
  }

  private Path model(String fingerprint) {
    return dir.resolve(fingerprint + "-" + build + ".medssl");
  }

  private Path record(String fingerprint) {
    return dir.resolve(fingerprint + "-" + build + ".json");
  }

  /**
   * The cached run of this pretraining, if any. A record that cannot be read, or whose description
   * differs (a fingerprint collision), is a miss: the cache is only ever a copy of work that can be redone.
   */
  public Optional<PretrainingRecord> find(Pretraining p) {
    Path file = record(p.fingerprint());
    if (!Files.isRegularFile(file) || !Files.isRegularFile(model(p.fingerprint()))) {
      return Optional.empty();
    }
    try {
      PretrainingRecord r = PretrainingStore.read(file);
      return r.description().equals(p.description()) ? Optional.of(r) : Optional.empty();
    } catch (MedsslException e) {
      return Optional.empty();
    }
  }

  /** Stores a finished pretraining whose model file is {@code model}: model first, then its record. */
  public void store(PretrainingRecord r, Path model) {
    AtomicFiles.linkOrCopy(model, model(r.fingerprint()));
    AtomicFiles.writeString(record(r.fingerprint()), PretrainingStore.json(r));
  }
}
