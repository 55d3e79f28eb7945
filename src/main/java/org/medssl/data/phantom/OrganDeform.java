package org.medssl.data.phantom;

import java.util.random.RandomGenerator;

/**
 * A smooth displacement that bends one organ (and what lies inside it) without touching its
 * surroundings: a few sinusoids of 50–120 mm wavelength. Unlike the whole-image {@link Warp}, a
 * strong one does not shear the body outline or the spine.
 */
final class OrganDeform {

  private static final int WAVES = 3;

  /** Per wave: kx, ky, kz, phase, then the displacement amplitudes along x, y and z. */
  private final double[][] waves;

  private OrganDeform(double[][] waves) {
    this.waves = waves;
  }

  /** Displacement with a standard deviation of about {@code amplitudeMm} per axis. */
  static OrganDeform sample(RandomGenerator rng, double amplitudeMm) {
    double[][] w = new double[WAVES][7];
    for (double[] wave : w) {
      double k = 2 * Math.PI / rng.nextDouble(50, 120);
      double theta = rng.nextDouble(0, 2 * Math.PI);
      double cz = rng.nextDouble(-1, 1);
      double r = Math.sqrt(1 - cz * cz);
      wave[0] = k * r * Math.cos(theta);
      wave[1] = k * r * Math.sin(theta);
      wave[2] = k * cz;
      wave[3] = rng.nextDouble(0, 2 * Math.PI);
      for (int a = 0; a < 3; a++) {
        // A sine has std 1/sqrt(2); WAVES of them summed have std sqrt(WAVES/2) times the amplitude.
        wave[4 + a] = amplitudeMm * rng.nextGaussian() * Math.sqrt(2.0 / WAVES);
      }
    }
    return new OrganDeform(w);
  }

  /** Adds the displacement at (x, y, z) to {@code out} (x, y, z). */
  void displace(double x, double y, double z, double[] out) {
    out[0] = x;
    out[1] = y;
    out[2] = z;
    for (double[] w : waves) {
      double s = Math.sin(w[0] * x + w[1] * y + w[2] * z + w[3]);
      out[0] += w[4] * s;
      out[1] += w[5] * s;
      out[2] += w[6] * s;
    }
  }
}
