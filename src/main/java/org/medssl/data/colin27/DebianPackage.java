package org.medssl.data.colin27;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.medssl.MedsslException;

/**
 * Unpacks a Debian package into a folder without installing it or needing root: {@code apt-get
 * download} then {@code dpkg-deb -x}. The only download medssl ever does, from the machine's own
 * package mirror.
 */
final class DebianPackage {
  private DebianPackage() {}

  /** Downloads and unpacks {@code name} under {@code work}; returns the unpacked root. */
  static Path unpack(String name, Path work) {
    try {
      Files.createDirectories(work);
      run(work, "apt-get", "download", name);
      Path deb;
      try (Stream<Path> files = Files.list(work)) {
        deb = files.filter(p -> p.getFileName().toString().startsWith(name + "_") && p.toString().endsWith(".deb"))
            .findFirst().orElseThrow(() -> new MedsslException("apt-get download " + name + " left no .deb in " + work));
      }
      Path root = work.resolve("root");
      run(work, "dpkg-deb", "-x", deb.toString(), root.toString());
      return root;
    } catch (IOException e) {
      throw new MedsslException(work + ": cannot unpack " + name + ": " + e.getMessage(), e);
    }
  }

  private static void run(Path dir, String... cmd) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new MedsslException(cmd[0] + " is not available (" + e.getMessage() + "); on a Debian or Ubuntu machine run"
          + " 'apt-get download mricron-data && dpkg-deb -x mricron-data_*.deb x' and pass --from"
          + " x/usr/share/mricron/templates");
    }
    try {
      String output = new String(p.getInputStream().readAllBytes()).strip();
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        String last = output.isEmpty() ? "" : List.of(output.split("\n")).get(output.split("\n").length - 1);
        throw new MedsslException(String.join(" ", cmd) + " failed: " + last + " (is the Debian mirror reachable? run"
            + " 'apt-get update' first, or pass --from a folder holding ch2.nii.gz, aal.nii.gz and aal.nii.txt)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MedsslException(String.join(" ", cmd) + " was interrupted");
    }
  }
}
