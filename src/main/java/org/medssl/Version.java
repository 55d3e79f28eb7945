package org.medssl;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The medssl version, from the jar manifest (or "dev" when run from classes), and fingerprints of
 * the code: the version number stays the same between commits while the numbers change.
 */
public final class Version {
  /** Which classes a fingerprint counts. */
  enum Scope {
    /**
     * The classes a pretraining runs: the pretext methods, networks, training loop, views, engine,
     * data generators and readers, and the plan that resolves its budget. The command line, seg,
     * metrics, the study runner and its reports can change without changing a pretraining.
     */
    PRETRAINING(name -> under(name, "ssl", "nn", "train", "augment", "tensor", "data", "image", "io", "study/plan")),
    /** The classes that compute a study cell's numbers: all but the command line, reports, viewer and benchmarks. */
    RESULTS(name -> !under(name, "cli", "study/report", "viewer", "bench"));

    private final Predicate<String> counts;

    Scope(Predicate<String> counts) {
      this.counts = counts;
    }

    boolean counts(String file) {
      return isMedsslClass(file) && counts.test(file);
    }

    private static boolean under(String name, String... packages) {
      return Stream.of(packages).anyMatch(p -> name.startsWith(ROOT + p + "/"));
    }
  }

  private static final String ROOT = "org/medssl/";
  private static Optional<Map<Scope, String>> fingerprints;

  private Version() {}

  public static String current() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /**
   * A fingerprint of the classes a pretraining runs, so that a pretraining cached by one build is
   * not reused by another; empty when the classes cannot be read, and then nothing may be cached
   * across runs.
   */
  public static Optional<String> code() {
    return fingerprints().map(f -> f.get(Scope.PRETRAINING));
  }

  /**
   * The version and a fingerprint of the classes that compute results ("0.1.0+1a2b..."), which
   * study records carry so that cells from different builds can be told apart; "+unknown" when the
   * classes cannot be read.
   */
  public static String build() {
    return current() + "+" + fingerprints().map(f -> f.get(Scope.RESULTS)).orElse("unknown");
  }

  private static synchronized Optional<Map<Scope, String>> fingerprints() {
    if (fingerprints == null) {
      try {
        Map<String, byte[]> classes = classes();
        Map<Scope, String> f = new EnumMap<>(Scope.class);
        for (Scope scope : Scope.values()) {
          f.put(scope, fingerprint(classes, scope));
        }
        fingerprints = Optional.of(f);
      } catch (IOException | URISyntaxException | RuntimeException e) {
        fingerprints = Optional.empty();
      }
    }
    return fingerprints;
  }

  /** The fingerprint of these class files (name to content), in name order, counting only the scope's. */
  static String fingerprint(Map<String, byte[]> classFiles, Scope scope) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    new TreeMap<>(classFiles).forEach((name, bytes) -> {
      if (scope.counts(name)) {
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(bytes);
      }
    });
    return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
  }

  /** medssl's class files, from its jar or its classes directory. */
  private static Map<String, byte[]> classes() throws IOException, URISyntaxException {
    Path where = Path.of(Version.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Map<String, byte[]> out = new TreeMap<>();
    if (Files.isDirectory(where)) {
      try (Stream<Path> files = Files.walk(where.resolve(ROOT))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String name = where.relativize(f).toString().replace('\\', '/');
          if (isMedsslClass(name)) {
            out.put(name, Files.readAllBytes(f));
          }
        }
      }
    } else {
      try (ZipFile jar = new ZipFile(where.toFile())) {
        for (ZipEntry e : jar.stream().filter(e -> isMedsslClass(e.getName())).toList()) {
          try (InputStream in = jar.getInputStream(e)) {
            out.put(e.getName(), in.readAllBytes());
          }
        }
      }
    }
    if (out.isEmpty()) {
      throw new IOException(where + ": no medssl classes");
    }
    return out;
  }

  private static boolean isMedsslClass(String file) {
    return file.startsWith(ROOT) && file.endsWith(".class");
  }
}
