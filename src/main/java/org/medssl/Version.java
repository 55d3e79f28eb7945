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
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The medssl version, from the jar manifest (or "dev" when run from classes), and the code's fingerprint. */
public final class Version {
  /** Packages whose classes only present results; changing them leaves every number as it was. */
  private static final List<String> PRESENTATION = List.of("org/medssl/cli/", "org/medssl/study/report/",
      "org/medssl/viewer/", "org/medssl/bench/");
  private static String code;

  private Version() {}

  public static String current() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /**
   * A fingerprint of the classes that compute results (everything but the command line, reports,
   * viewer and benchmarks), so that work cached across runs is not reused by other code: the
   * version number stays the same between commits while the numbers change. Falls back to
   * {@code "version-" + current()} when the classes cannot be read.
   */
  public static synchronized String code() {
    if (code == null) {
      try {
        code = fingerprint(classes());
      } catch (IOException | URISyntaxException | RuntimeException e) {
        code = "version-" + current();
      }
    }
    return code;
  }

  /** The fingerprint of these class files (name to content), in name order; presentation packages are left out. */
  static String fingerprint(Map<String, byte[]> classFiles) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    new TreeMap<>(classFiles).forEach((name, bytes) -> {
      if (name.endsWith(".class") && PRESENTATION.stream().noneMatch(name::startsWith)) {
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
      Path root = where.resolve("org/medssl");
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          out.put(where.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
        }
      }
      return out;
    }
    try (ZipFile jar = new ZipFile(where.toFile())) {
      for (ZipEntry e : jar.stream().filter(e -> e.getName().startsWith("org/medssl/")).toList()) {
        try (InputStream in = jar.getInputStream(e)) {
          out.put(e.getName(), in.readAllBytes());
        }
      }
    }
    return out;
  }
}
