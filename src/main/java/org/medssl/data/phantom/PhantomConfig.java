package org.medssl.data.phantom;

import org.medssl.image.Grid;

/**
 * How phantoms are sampled. The anatomy always fills the field of view, so the grid sets the
 * resolution, not what is imaged.
 *
 * @param grid output grid (default 96x96x32 voxels of 1.5x1.5x3.0 mm)
 * @param noiseSigma standard deviation of each Gaussian component of the Rician noise, in the
 *     0..1000 intensity units of the phantom (scaled per subject by 0.7..1.3)
 * @param biasStrength standard deviation of the log bias field's polynomial coefficients (0 = none)
 * @param deformationMm standard deviation of the smooth random displacement per axis
 * @param textureStrength typical relative amplitude of the smooth texture inside tissues
 * @param version 1: the original phantoms (contrast drawn per subject between T1- and T2-like, so
 *     organs change brightness order; anatomy varies little); 2: one sequence with stable tissue
 *     order, scanner nuisance per subject (gain, gamma, bias strength, noise level, texture) and
 *     wider anatomy (organ size and position, warp strength, body build, lesions). In version 2 the
 *     four numbers above are typical values around which each subject draws its own.
 */
public record PhantomConfig(
    Grid grid, double noiseSigma, double biasStrength, double deformationMm,
    double textureStrength, int version) {

  /** The versions {@link PhantomGenerator} knows. */
  public static final int LATEST_VERSION = 2;

  /** A version-1 config. */
  public PhantomConfig(Grid grid, double noiseSigma, double biasStrength, double deformationMm,
      double textureStrength) {
    this(grid, noiseSigma, biasStrength, deformationMm, textureStrength, 1);
  }

  public PhantomConfig {
    if (grid == null) {
      throw new IllegalArgumentException("phantom grid is required");
    }
    if (grid.nx() < 8 || grid.ny() < 8 || grid.nz() < 2) {
      throw new IllegalArgumentException("phantom grid too small: " + grid.shapeString());
    }
    requireRange("noiseSigma", noiseSigma, 0, 500);
    requireRange("biasStrength", biasStrength, 0, 2);
    requireRange("deformationMm", deformationMm, 0, 30);
    requireRange("textureStrength", textureStrength, 0, 0.5);
    if (version < 1 || version > LATEST_VERSION) {
      throw new IllegalArgumentException("phantom version must be 1 or 2, got " + version);
    }
  }

  /** Version 1's defaults. */
  public static PhantomConfig defaults() {
    return defaults(1);
  }

  /** The defaults of a version: the same grid and typical values for both. */
  public static PhantomConfig defaults(int version) {
    return new PhantomConfig(Grid.of(96, 96, 32, 1.5, 1.5, 3.0), 15, 0.2, 3, 0.06, version);
  }

  public PhantomConfig withGrid(Grid g) {
    return new PhantomConfig(g, noiseSigma, biasStrength, deformationMm, textureStrength, version);
  }

  public PhantomConfig withNoiseSigma(double v) {
    return new PhantomConfig(grid, v, biasStrength, deformationMm, textureStrength, version);
  }

  public PhantomConfig withBiasStrength(double v) {
    return new PhantomConfig(grid, noiseSigma, v, deformationMm, textureStrength, version);
  }

  public PhantomConfig withTextureStrength(double v) {
    return new PhantomConfig(grid, noiseSigma, biasStrength, deformationMm, v, version);
  }

  private static void requireRange(String name, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi)) {
      throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], got " + v);
    }
  }
}
