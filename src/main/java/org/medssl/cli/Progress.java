package org.medssl.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.medssl.tensor.Distributed;

/**
 * Progress bars on stderr for anything that takes more than a few seconds. A bar appears at its
 * first step, not when it is opened: a run that fails while reading its inputs then shows only
 * its one error line, and an error after a bar was drawn starts on a line of its own.
 */
final class Progress {
  private static volatile boolean drawn;

  private Progress() {}

  /** Whether any bar was drawn in this JVM (the error printer then starts a new line first). */
  static boolean anyDrawn() {
    return drawn;
  }

  /** A bar, or, in a data-parallel rank other than 0, nothing: rank 0 shows the group's progress. */
  static Bar bar(String task, long max, String unit) {
    return new Bar(task, max, unit, !Distributed.writesOutputs());
  }

  /** A bar created on its first update. */
  static final class Bar implements AutoCloseable {
    private final String task;
    private final long max;
    private final String unit;
    private final boolean quiet;
    private ProgressBar bar;

    private Bar(String task, long max, String unit, boolean quiet) {
      this.task = task;
      this.max = max;
      this.unit = unit;
      this.quiet = quiet;
    }

    void stepTo(long done) {
      if (!quiet) {
        shown().stepTo(done);
      }
    }

    void setExtraMessage(String message) {
      if (!quiet) {
        shown().setExtraMessage(message);
      }
    }

    private ProgressBar shown() {
      if (bar == null) {
        drawn = true;
        bar = new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(max)
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" " + unit, 1)
            .setUpdateIntervalMillis(500)
            .showSpeed()
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .build();
      }
      return bar;
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
      }
    }
  }
}
