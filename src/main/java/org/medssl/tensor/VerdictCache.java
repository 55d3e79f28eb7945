package org.medssl.tensor;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Self-check verdicts by {@link CpuSignature} key, in {@code $XDG_CACHE_HOME/medssl/engine.json}
 * (default {@code ~/.cache/medssl/engine.json}; {@code MEDSSL_CACHE_DIR} moves it). A home shared
 * between machines keeps one verdict per CPU. A file that cannot be read is treated as empty and
 * rewritten: the verdict is only ever a cache of a check that can be run again.
 */
public final class VerdictCache {
  /** How the engine writes and reads its JSON: the cache, and a child JVM's check result. */
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final TypeReference<TreeMap<String, EngineVerdict>> TYPE = new TypeReference<>() {};

  private final Path file;

  public VerdictCache(Path file) {
    this.file = file;
  }

  /** The cache at its default place. */
  public static VerdictCache standard() {
    String dir = System.getenv("MEDSSL_CACHE_DIR");
    if (dir == null || dir.isBlank()) {
      String xdg = System.getenv("XDG_CACHE_HOME");
      Path base = xdg == null || xdg.isBlank() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(xdg);
      return new VerdictCache(base.resolve("medssl").resolve("engine.json"));
    }
    return new VerdictCache(Path.of(dir).resolve("engine.json"));
  }

  public Path file() {
    return file;
  }

  public Optional<EngineVerdict> find(String key) {
    return Optional.ofNullable(readAll().get(key));
  }

  /** Adds or replaces the verdict for its key; other CPUs' verdicts stay. Written atomically. */
  public void store(EngineVerdict verdict) throws IOException {
    Map<String, EngineVerdict> all = readAll();
    all.put(verdict.key(), verdict);
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), "engine", ".json.tmp");
    try {
      JSON.writeValue(tmp.toFile(), all);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private Map<String, EngineVerdict> readAll() {
    if (!Files.isRegularFile(file)) {
      return new TreeMap<>();
    }
    try {
      return JSON.readValue(file.toFile(), TYPE);
    } catch (IOException | RuntimeException e) {
      return new TreeMap<>();
    }
  }
}
