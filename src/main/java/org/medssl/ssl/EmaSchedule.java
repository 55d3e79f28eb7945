package org.medssl.ssl;

/**
 * BYOL's target decay: {@code tau_k = 1 - (1 - tau0) (cos(pi k / K) + 1) / 2}, rising from
 * {@code tau0} (0.99 in BYOL, 0.996 in PGL) at step 0 to 1 at step K.
 */
public record EmaSchedule(double tau0) {
  public EmaSchedule {
    if (tau0 < 0 || tau0 > 1) {
      throw new IllegalArgumentException("tau0 must be in [0, 1]: " + tau0);
    }
  }

  public double tau(int step, int total) {
    double progress = Math.min(1.0, step / (double) Math.max(1, total));
    return 1 - (1 - tau0) * (Math.cos(Math.PI * progress) + 1) / 2;
  }
}
