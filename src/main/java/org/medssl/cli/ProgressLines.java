package org.medssl.cli;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.medssl.study.StudyProgress;

/**
 * Progress as an occasional log line, for study workers: their stderr goes to a file, and bars
 * drawn by several processes on one terminal would overwrite each other. Without it a worker is
 * silent for the whole of a pretraining (20 minutes and more). A phase says where it is once every
 * {@link #INTERVAL_SECONDS} seconds, so a fine-tuning cell shorter than that prints nothing.
 */
final class ProgressLines implements StudyProgress {
  static final long INTERVAL_SECONDS = 120;
  private final Consumer<String> out;
  private final LongSupplier nanoClock;
  private String task;
  private int total;
  private long start;
  private long last;

  ProgressLines(Consumer<String> out, LongSupplier nanoClock) {
    this.out = out;
    this.nanoClock = nanoClock;
  }

  @Override
  public void begin(String task, int total) {
    this.task = task;
    this.total = total;
    start = nanoClock.getAsLong();
    last = start;
  }

  @Override
  public void step(int done, String message) {
    long now = nanoClock.getAsLong();
    if (done <= 0 || now - last < TimeUnit.SECONDS.toNanos(INTERVAL_SECONDS)) {
      return;
    }
    last = now;
    long elapsed = TimeUnit.NANOSECONDS.toSeconds(now - start);
    long left = Math.round((double) elapsed * Math.max(0, total - done) / done);
    out.accept(String.format("%s: step %d of %d (%d %%), %s elapsed, about %s left, %s", task, done, total,
        100L * done / Math.max(1, total), clock(elapsed), clock(left), message));
  }

  /** Seconds as {@code m:ss} or {@code h:mm:ss}. */
  static String clock(long seconds) {
    long h = seconds / 3600;
    long m = seconds / 60 % 60;
    long s = seconds % 60;
    return h > 0 ? String.format("%d:%02d:%02d", h, m, s) : String.format("%d:%02d", m, s);
  }
}
