package org.medssl.study;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.medssl.MedsslException;

/**
 * How several processes run one study directory together (workers on one machine, or machines
 * sharing the directory): whoever holds a unit's lock runs it, the others take another unit or wait.
 * The locks are the operating system's file locks, so a killed process releases its own: nothing
 * stays claimed by a dead worker, and a resumed study needs no clean-up. Lock files stay in
 * {@code <out>/locks}; deleting one while another process waits on it would let two processes hold
 * "the same" lock, so they are never deleted.
 */
final class StudyLocks {
  private final Path dir;

  StudyLocks(Path studyDir) {
    this.dir = studyDir.resolve("locks");
  }

  /** A held lock; closing releases it. */
  static final class Claim implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private Claim(FileChannel channel, FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }

    @Override
    public void close() {
      try {
        lock.release();
        channel.close();
      } catch (IOException e) {
        // released anyway when the channel or the process goes away
      }
    }
  }

  /** The lock of {@code unit} if no other process holds it, else empty. */
  Optional<Claim> tryClaim(String unit) {
    FileChannel channel = open(unit);
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException heldHere) {
        lock = null; // this process holds it already: as held as by another
      }
      if (lock == null) {
        channel.close();
        return Optional.empty();
      }
      return Optional.of(new Claim(channel, lock));
    } catch (IOException e) {
      closeQuietly(channel);
      throw new MedsslException(path(unit) + ": cannot lock: " + e.getMessage(), e);
    }
  }

  /** The lock of {@code unit}, waiting while another process holds it. */
  Claim claim(String unit) {
    FileChannel channel = open(unit);
    try {
      return new Claim(channel, channel.lock());
    } catch (IOException e) {
      closeQuietly(channel);
      throw new MedsslException(path(unit) + ": cannot lock: " + e.getMessage(), e);
    }
  }

  private FileChannel open(String unit) {
    Path p = path(unit);
    try {
      Files.createDirectories(dir);
      return FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new MedsslException(p + ": cannot create the lock file: " + e.getMessage(), e);
    }
  }

  private Path path(String unit) {
    return dir.resolve(unit + ".lock");
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing was locked
    }
  }
}
