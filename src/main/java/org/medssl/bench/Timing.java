package org.medssl.bench;

import java.util.ArrayList;
import java.util.List;

/** Wall-clock timing of repeated calls. */
final class Timing {
  private Timing() {}

  /** Milliseconds of each of {@code steps} calls, after {@code warmup} untimed ones. */
  static List<Double> millis(int warmup, int steps, Runnable call) {
    for (int i = 0; i < warmup; i++) {
      call.run();
    }
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      long start = System.nanoTime();
      call.run();
      ms.add((System.nanoTime() - start) / 1e6);
    }
    return ms;
  }
}
