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
  private long begun;
  private int firstStep;
  private long firstStepAt;
  private long last;

  ProgressLines(Consumer<String> out, LongSupplier nanoClock) {
    this.out = out;
    this.nanoClock = nanoClock;
  }

  @Override
  public void begin(String task, int total) {
    this.task = task;
    this.total = total;
    begun = nanoClock.getAsLong();
    last = begun;
    firstStep = -1;
  }

  /**
   * The time left is estimated from the steps since the first one this process saw: a phase
   * resumed from a checkpoint starts at a later step, and its setup time is not a step's.
   */
  @Override
  public void step(int done, String message) {
    long now = nanoClock.getAsLong();
    if (firstStep < 0) {
      firstStep = done;
      firstStepAt = now;
    }
    if (done <= firstStep || now - last < TimeUnit.SECONDS.toNanos(INTERVAL_SECONDS)) {
      return;
    }
    last = now;
    double perStep = (double) (now - firstStepAt) / (done - firstStep);
    long left = TimeUnit.NANOSECONDS.toSeconds(Math.round(perStep * Math.max(0, total - done)));
    out.accept(String.format("%s: step %d of %d (%d %%), %s elapsed, about %s left, %s", task, done, total,
        100L * done / Math.max(1, total), clock(TimeUnit.NANOSECONDS.toSeconds(now - begun)), clock(left), message));
  }

  /** Seconds as {@code m:ss} or {@code h:mm:ss}. */
  static String clock(long seconds) {
    long h = seconds / 3600;
    long m = seconds / 60 % 60;
    long s = seconds % 60;
    return h > 0 ? String.format("%d:%02d:%02d", h, m, s) : String.format("%d:%02d", m, s);
  }
}
