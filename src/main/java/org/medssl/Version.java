package org.medssl;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The medssl version, from the jar manifest (or "dev" when run from classes), and the code's fingerprint. */
public final class Version {
  /**
   * The packages whose classes a pretraining runs: the pretext methods, networks, training loop,
   * views, engine, data generators and readers, and the plan that resolves its budget. The command
   * line, seg, metrics, the study runner and its reports can change without changing a pretraining.
   */
  private static final List<String> PRETRAINING = Stream.of("ssl", "nn", "train", "augment", "tensor", "data", "image",
      "io", "study/plan").map(p -> "org/medssl/" + p + "/").toList();
  private static Optional<String> code;

  private Version() {}

  public static String current() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /**
   * A fingerprint of the classes a pretraining runs, so that a pretraining cached by one build is
   * not reused by another (the version number stays the same between commits while the numbers
   * change); empty when the classes cannot be read, and then nothing may be cached across runs.
   */
  public static synchronized Optional<String> code() {
    if (code == null) {
      try {
        code = Optional.of(fingerprint(classes()));
      } catch (IOException | URISyntaxException | RuntimeException e) {
        code = Optional.empty();
      }
    }
    return code;
  }

  /** The fingerprint of these class files (name to content), in name order, counting only pretraining's. */
  static String fingerprint(Map<String, byte[]> classFiles) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    new TreeMap<>(classFiles).forEach((name, bytes) -> {
      if (counts(name)) {
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(bytes);
      }
    });
    return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
  }

  private static boolean counts(String name) {
    return name.endsWith(".class") && PRETRAINING.stream().anyMatch(name::startsWith);
  }

  /** medssl's class files that count, from its jar or its classes directory. */
  private static Map<String, byte[]> classes() throws IOException, URISyntaxException {
    Path where = Path.of(Version.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Map<String, byte[]> out = new TreeMap<>();
    if (Files.isDirectory(where)) {
      try (Stream<Path> files = Files.walk(where.resolve("org/medssl"))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String name = where.relativize(f).toString().replace('\\', '/');
          if (counts(name)) {
            out.put(name, Files.readAllBytes(f));
          }
        }
      }
    } else {
      try (ZipFile jar = new ZipFile(where.toFile())) {
        for (ZipEntry e : jar.stream().filter(e -> counts(e.getName())).toList()) {
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
}
