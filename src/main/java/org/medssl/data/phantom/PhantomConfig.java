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
 */
public record PhantomConfig(
    Grid grid, double noiseSigma, double biasStrength, double deformationMm,
    double textureStrength) {

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
  }

  public static PhantomConfig defaults() {
    return new PhantomConfig(Grid.of(96, 96, 32, 1.5, 1.5, 3.0), 15, 0.2, 3, 0.06);
  }

  public PhantomConfig withGrid(Grid g) {
    return new PhantomConfig(g, noiseSigma, biasStrength, deformationMm, textureStrength);
  }

  public PhantomConfig withNoiseSigma(double v) {
    return new PhantomConfig(grid, v, biasStrength, deformationMm, textureStrength);
  }

  public PhantomConfig withBiasStrength(double v) {
    return new PhantomConfig(grid, noiseSigma, v, deformationMm, textureStrength);
  }

  public PhantomConfig withDeformationMm(double v) {
    return new PhantomConfig(grid, noiseSigma, biasStrength, v, textureStrength);
  }

  public PhantomConfig withTextureStrength(double v) {
    return new PhantomConfig(grid, noiseSigma, biasStrength, deformationMm, v);
  }

  private static void requireRange(String name, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi)) {
      throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], got " + v);
    }
  }
}
