package org.medssl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of this process from {@code /proc/self/status}, in MB: current (VmRSS) and
 * peak (VmHWM). The peak can be reset (Linux >= 4.0) so each configuration reports its own.
 * Off Linux every figure is NaN.
 */
public final class Rss {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  private Rss() {}

  public static double currentMb() {
    return field("VmRSS:");
  }

  public static double peakMb() {
    return field("VmHWM:");
  }

  /** Resets the peak to the current RSS; returns false where the kernel does not allow it. */
  public static boolean resetPeak() {
    try {
      Files.writeString(CLEAR_REFS, "5");
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static double field(String name) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.substring(name.length()).replace("kB", "").trim()) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: report NaN rather than a made-up number.
    }
    return Double.NaN;
  }
}
