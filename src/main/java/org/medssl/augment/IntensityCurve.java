package org.medssl.augment;

import java.util.random.RandomGenerator;

/**
 * A smooth random remap of an image's intensities, in the manner of Models Genesis' non-linear
 * transformation: the intensities are rescaled to [0, 1] over the image's own range, passed
 * through the cubic Bezier (Bernstein) curve {@code y(u) = sum_k c_k C(3,k) u^k (1-u)^(3-k)} and
 * mapped back to the same range. The control values lie in [0, 1], so every output stays inside
 * the input's [min, max] (the curve is a convex combination of them).
 *
 * <p>{@link #sample} draws one end in [0, 0.25] and the other in [0.75, 1] (either order: a curve
 * may invert the contrast) and both inner controls uniformly in [0, 1], so the curve keeps at
 * least half the range and is often non-monotone: tissues can change their intensity order, as
 * between scanners and sequences, which the monotone brightness, contrast and gamma changes never
 * teach.
 */
public record IntensityCurve(double c0, double c1, double c2, double c3) {
  /** {@code y(u) = u}: the identity. */
  public static final IntensityCurve IDENTITY = new IntensityCurve(0, 1.0 / 3, 2.0 / 3, 1);

  public IntensityCurve {
    for (double c : new double[] {c0, c1, c2, c3}) {
      if (!(c >= 0 && c <= 1)) {
        throw new IllegalArgumentException("curve control values must be in [0, 1]: " + c);
      }
    }
  }

  /** A random curve (see the class comment); four draws from {@code rng}. */
  public static IntensityCurve sample(RandomGenerator rng) {
    double low = 0.25 * rng.nextDouble();
    double high = 1 - 0.25 * rng.nextDouble();
    double c1 = rng.nextDouble();
    double c2 = rng.nextDouble();
    return rng.nextBoolean() ? new IntensityCurve(low, c1, c2, high) : new IntensityCurve(high, c1, c2, low);
  }

  /** With probability {@code p} a random curve, else the identity; draws nothing when {@code p <= 0}. */
  public static IntensityCurve sample(double p, RandomGenerator rng) {
    if (p <= 0) {
      return IDENTITY;
    }
    return rng.nextDouble() < p ? sample(rng) : IDENTITY;
  }

  /** The curve at {@code u} in [0, 1]. */
  public double at(double u) {
    double v = 1 - u;
    return c0 * v * v * v + 3 * c1 * u * v * v + 3 * c2 * u * u * v + c3 * u * u * u;
  }

  /** Whether the curve never changes direction on [0, 1] (checked on a fine grid). */
  public boolean monotone() {
    int up = 0;
    int down = 0;
    double prev = at(0);
    for (int i = 1; i <= 1000; i++) {
      double y = at(i / 1000.0);
      if (y > prev + 1e-12) {
        up++;
      } else if (y < prev - 1e-12) {
        down++;
      }
      prev = y;
    }
    return up == 0 || down == 0;
  }

  /** The remapped values, over the range of {@code in}; a constant image is returned as it is. */
  public float[] apply(float[] in) {
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (float x : in) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    if (equals(IDENTITY) || !(hi > lo)) {
      return in;
    }
    double range = hi - lo;
    float[] out = new float[in.length];
    for (int i = 0; i < in.length; i++) {
      double y = at((in[i] - lo) / range);
      out[i] = (float) Math.min(hi, Math.max(lo, lo + range * y));
    }
    return out;
  }

  public DenseImage apply(DenseImage d) {
    float[] out = apply(d.values());
    return out == d.values() ? d : d.with(out);
  }
}
