package org.medssl.tensor;

/** Learning-rate schedules as pure functions of the step. */
public final class Schedule {
  private Schedule() {}

  /**
   * Linear warm-up from 0 over {@code warmup} steps, then cosine decay to {@code floor * base} at
   * {@code total}.
   */
  public static double warmupCosine(int step, int total, int warmup, double base, double floor) {
    if (step < warmup) {
      return base * (step + 1) / warmup;
    }
    double progress = Math.min(1.0, (step - warmup) / (double) Math.max(1, total - warmup));
    double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
    return base * (floor + (1 - floor) * cosine);
  }

  /** Cosine interpolation from {@code start} (step 0) to {@code end} (step {@code total}). */
  public static double cosine(int step, int total, double start, double end) {
    double progress = Math.min(1.0, step / (double) Math.max(1, total));
    return end - (end - start) * (Math.cos(Math.PI * progress) + 1) / 2;
  }
}
