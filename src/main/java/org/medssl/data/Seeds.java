package org.medssl.data;

/** Derived seeds, so that each step's or subject's randomness depends only on (seed, index). */
public final class Seeds {
  private Seeds() {}

  /** A well-mixed seed for item {@code index} of a run with {@code seed} (SplitMix64 finaliser). */
  public static long derive(long seed, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + index;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
