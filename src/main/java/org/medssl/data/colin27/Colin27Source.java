package org.medssl.data.colin27;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.medssl.MedsslException;

/**
 * Where the Colin27 files come from: a folder the user names, the installed {@code mricron-data}
 * package, or that package downloaded and unpacked into a temporary folder beside the output.
 */
public final class Colin27Source {
  static final String PACKAGE = "mricron-data";
  static final Path INSTALLED = Path.of("/usr/share/mricron/templates");
  static final String[] FILES = {"ch2.nii.gz", "aal.nii.gz", "aal.nii.txt"};

  private Colin27Source() {}

  /** Finds or fetches the templates and writes the dataset into {@code out}. */
  public static Colin27Dataset.Summary build(Path from, Path out, Consumer<String> log) {
    if (from != null) {
      return write(from, out);
    }
    if (hasFiles(INSTALLED)) {
      log.accept("using the installed " + PACKAGE + " (" + INSTALLED + ")");
      return write(INSTALLED, out);
    }
    Path work = out.resolve(".download").toAbsolutePath();
    log.accept("downloading " + PACKAGE + " with apt-get download (no root needed) into " + work);
    try {
      Path root = DebianPackage.unpack(PACKAGE, work);
      return write(root.resolve("usr/share/mricron/templates"), out);
    } finally {
      deleteTree(work);
    }
  }

  private static Colin27Dataset.Summary write(Path dir, Path out) {
    if (!hasFiles(dir)) {
      throw new MedsslException(dir + ": expected ch2.nii.gz, aal.nii.gz and aal.nii.txt (Debian's " + PACKAGE + ")");
    }
    return Colin27Dataset.write(dir.resolve(FILES[0]), dir.resolve(FILES[1]), dir.resolve(FILES[2]), out);
  }

  private static boolean hasFiles(Path dir) {
    return Stream.of(FILES).allMatch(f -> Files.isRegularFile(dir.resolve(f)));
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new MedsslException(dir + ": cannot remove the download folder: " + e.getMessage(), e);
    }
  }
}
