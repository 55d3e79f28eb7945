package org.medssl.data.phantom;

import java.util.random.RandomGenerator;
import org.medssl.image.Grid;

/**
 * Where each voxel of the output grid looks in the anatomy's reference frame: a per-subject
 * similarity (patient position, rotation and build) plus a smooth random displacement made of a few
 * low-frequency sinusoids per axis, so organs bend a little instead of staying ellipsoids.
 */
final class Warp {

  private static final int WAVES = 4;
  private static final double NODE_SPACING_MM = 6;

  private final Grid grid;
  private final double scale;
  private final double cos;
  private final double sin;
  private final double[] shiftMm;
  private final float[][] displacementMm;

  private Warp(Grid grid, double scale, double yaw, double[] shiftMm, float[][] displacementMm) {
    this.grid = grid;
    this.scale = scale;
    this.cos = Math.cos(yaw);
    this.sin = Math.sin(yaw);
    this.shiftMm = shiftMm;
    this.displacementMm = displacementMm;
  }

  static Warp sample(Grid grid, double deformationMm, RandomGenerator rng) {
    return sample(grid, deformationMm, 1, rng);
  }

  /**
   * {@code poseRange} widens the ranges of patient position and rotation (1 for version 1's
   * ±6/±6/±10 mm and ±0.08 rad).
   */
  static Warp sample(Grid grid, double deformationMm, double poseRange, RandomGenerator rng) {
    double scale = rng.nextDouble(0.92, 1.08);
    double yaw = poseRange * rng.nextDouble(-0.08, 0.08);
    double[] shift = {poseRange * rng.nextDouble(-6, 6), poseRange * rng.nextDouble(-6, 6),
        poseRange * rng.nextDouble(-10, 10)};
    float[][] d = new float[3][];
    for (int axis = 0; axis < 3; axis++) {
      d[axis] = SmoothField.of(grid, NODE_SPACING_MM, waves(rng, deformationMm));
    }
    return new Warp(grid, scale, yaw, shift, d);
  }

  /** Reference-frame position of voxel {@code (i, j, k)} (index {@code idx}) into {@code out}. */
  void map(int i, int j, int k, int idx, double[] out) {
    double x = ((i + 0.5) / grid.nx() - 0.5) * Anatomy.FOV_MM[0] / scale;
    double y = ((j + 0.5) / grid.ny() - 0.5) * Anatomy.FOV_MM[1] / scale;
    double z = ((k + 0.5) / grid.nz() - 0.5) * Anatomy.FOV_MM[2] / scale;
    out[0] = cos * x - sin * y + shiftMm[0] + displacementMm[0][idx];
    out[1] = sin * x + cos * y + shiftMm[1] + displacementMm[1][idx];
    out[2] = z + shiftMm[2] + displacementMm[2][idx];
  }

  /** Sum of sinusoids of at most ~1.5 cycles across the field of view; std about amplitudeMm. */
  private static SmoothField.MmFunction waves(RandomGenerator rng, double amplitudeMm) {
    double[][] f = new double[WAVES][5];
    for (double[] wave : f) {
      for (int a = 0; a < 3; a++) {
        wave[a] = 2 * Math.PI * rng.nextDouble(-1.5, 1.5) / Anatomy.FOV_MM[a];
      }
      wave[3] = rng.nextDouble(0, 2 * Math.PI);
      // A sine has std 1/sqrt(2); WAVES of them summed have std sqrt(WAVES/2) times the amplitude.
      wave[4] = amplitudeMm * rng.nextGaussian() * Math.sqrt(2.0 / WAVES);
    }
    return (x, y, z) -> {
      double sum = 0;
      for (double[] w : f) {
        sum += w[4] * Math.sin(w[0] * x + w[1] * y + w[2] * z + w[3]);
      }
      return sum;
    };
  }
}
