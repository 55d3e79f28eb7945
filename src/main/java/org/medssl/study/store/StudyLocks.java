package org.medssl.study.store;

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
public final class StudyLocks {
  private final Path dir;

  public StudyLocks(Path studyDir) {
    this.dir = studyDir.resolve("locks");
  }

  /** A held lock; closing releases it. */
  public static final class Claim implements AutoCloseable {
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

  /**
   * Joins the processes running the study directory, for this process's whole run (close the
   * claim at its end): a shared lock on {@code study.lock}. When no other process holds it,
   * {@code whenAlone} runs first under the exclusive lock: the place to remove what killed
   * processes left half-written, which would otherwise be a live worker's file.
   */
  public Claim join(Runnable whenAlone) {
    FileChannel channel = open("study");
    try {
      FileLock alone = channel.tryLock(0, Long.MAX_VALUE, false);
      if (alone != null) {
        try {
          whenAlone.run();
        } finally {
          alone.release();
        }
      }
      return new Claim(channel, channel.lock(0, Long.MAX_VALUE, true));
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new MedsslException(path("study") + ": cannot lock: " + e.getMessage(), e);
    }
  }

  /** The lock of {@code unit} if no other process holds it, else empty. */
  public Optional<Claim> tryClaim(String unit) {
    FileChannel channel = open(unit);
    try {
      // Claiming a unit this process holds already throws OverlappingFileLockException: a bug, and
      // closing this channel would then drop the process's lock on the file too, so it stays open.
      FileLock lock = channel.tryLock();
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
  public Claim claim(String unit) {
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
      // READ too: a shared lock needs a readable channel
      return FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
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
