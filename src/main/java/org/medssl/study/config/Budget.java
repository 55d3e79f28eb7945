package org.medssl.study.config;

import org.medssl.MedsslException;

/**
 * A labeled budget: a number of subjects, or a fraction of the labeled pool as in PGL (0.2, 0.5,
 * 1.0). In YAML an integer is a count and a decimal a fraction, so {@code 1} is one subject and
 * {@code 1.0} is the whole pool.
 *
 * @param count subjects, or 0 when this is a fraction
 * @param fraction fraction of the pool in (0, 1], or 0 when this is a count
 */
public record Budget(int count, double fraction) {

  public Budget {
    boolean isCount = count > 0 && fraction == 0;
    boolean isFraction = count == 0 && fraction > 0 && fraction <= 1;
    if (!isCount && !isFraction) {
      throw new MedsslException("labeled: a budget is a positive subject count or a fraction in (0, 1], got "
          + (count != 0 ? Integer.toString(count) : Double.toString(fraction)));
    }
  }

  public static Budget ofCount(int n) {
    return new Budget(n, 0);
  }

  public static Budget ofFraction(double f) {
    return new Budget(0, f);
  }

  /** Subjects for a pool of {@code pool} labeled subjects; a fraction rounds, but never below one subject. */
  public int resolve(int pool) {
    int n = count > 0 ? count : Math.max(1, (int) Math.round(fraction * pool));
    if (n > pool) {
      throw new MedsslException("labeled: budget " + this + " is larger than the pool of " + pool
          + " labeled training subjects (training subjects minus the validation subjects)");
    }
    return n;
  }

  @Override
  public String toString() {
    return count > 0 ? Integer.toString(count) : Double.toString(fraction);
  }
}
