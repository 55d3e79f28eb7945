package org.medssl.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.medssl.MedsslException;

/**
 * Writes files so a reader sees either the old complete file or the new complete file, never a
 * half-written one: write a temporary file beside the target, flush it to disk, rename it.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Body of an atomic write. */
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  public static void write(Path target, Writer body) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
      makeShareable(tmp);
      try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE);
           OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16)) {
        body.write(out);
        out.flush();
        channel.force(true);
      }
      move(tmp, target);
    } catch (IOException e) {
      throw new MedsslException(target + ": cannot write: " + e.getMessage(), e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * Deletes what a killed writer of {@code target} left behind (its hidden temp files); nothing
   * reads them, and a run that is about to write the target again is the one to clean up.
   */
  public static void removeLeftovers(Path target) {
    Path dir = target.toAbsolutePath().getParent();
    String prefix = "." + target.getFileName();
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith(prefix) && name.endsWith(".tmp")) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw new MedsslException(dir + ": cannot remove temporary files: " + e.getMessage(), e);
    }
  }

  public static void writeString(Path target, String text) {
    write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /** Temp files start as 0600; results are ordinary files others may read (0644, like a plain write). */
  private static void makeShareable(Path p) throws IOException {
    if (Files.getFileStore(p).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  /**
   * Puts {@code source}'s content at {@code target} atomically: a hard link where the file system
   * allows one (no copy; both names stay valid because every writer here replaces files by renaming,
   * never in place), else a copy.
   */
  public static void linkOrCopy(Path source, Path target) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
      Files.createLink(tmp, source);
      move(tmp, target);
    } catch (IOException | UnsupportedOperationException e) {
      deleteQuietly(tmp);
      write(target, out -> Files.copy(source, out));
    } finally {
      deleteQuietly(tmp);
    }
  }

  private static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // A leftover temp file is harmless; the target is what matters.
      }
    }
  }
}
