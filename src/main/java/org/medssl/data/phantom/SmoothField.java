package org.medssl.data.phantom;

import java.util.random.RandomGenerator;
import org.medssl.image.Grid;

/**
 * Smooth scalar fields on a grid, computed on a coarse lattice of nodes over the reference field
 * of view and upsampled trilinearly. Evaluating only at the nodes is what keeps a subject well
 * under a second: the expensive part (random draws, sines) runs a few thousand times, not once
 * per voxel.
 */
final class SmoothField {

  /** A function of reference-frame millimetres. */
  @FunctionalInterface
  interface MmFunction {
    double at(double x, double y, double z);
  }

  private SmoothField() {}

  /** A random field with mean 0 and standard deviation about 1 at the nodes. */
  static float[] random(Grid grid, double nodeSpacingMm, RandomGenerator rng) {
    int[] n = nodeCounts(nodeSpacingMm);
    double[] nodes = new double[n[0] * n[1] * n[2]];
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = rng.nextGaussian();
    }
    for (int axis = 0; axis < 3; axis++) {
      smoothAxis(nodes, n, axis);
    }
    standardise(nodes);
    return upsample(grid, nodes, n);
  }

  /** A deterministic function sampled at the nodes. */
  static float[] of(Grid grid, double nodeSpacingMm, MmFunction f) {
    int[] n = nodeCounts(nodeSpacingMm);
    double[] nodes = new double[n[0] * n[1] * n[2]];
    for (int k = 0; k < n[2]; k++) {
      for (int j = 0; j < n[1]; j++) {
        for (int i = 0; i < n[0]; i++) {
          nodes[i + n[0] * (j + n[1] * k)] =
              f.at(nodeMm(i, n[0], 0), nodeMm(j, n[1], 1), nodeMm(k, n[2], 2));
        }
      }
    }
    return upsample(grid, nodes, n);
  }

  private static int[] nodeCounts(double nodeSpacingMm) {
    int[] n = new int[3];
    for (int a = 0; a < 3; a++) {
      n[a] = Math.max(2, (int) Math.ceil(Anatomy.FOV_MM[a] / nodeSpacingMm) + 1);
    }
    return n;
  }

  private static double nodeMm(int i, int count, int axis) {
    return (i / (double) (count - 1) - 0.5) * Anatomy.FOV_MM[axis];
  }

  /** One pass of the [1 2 1]/4 kernel along an axis, edges clamped. */
  private static void smoothAxis(double[] v, int[] n, int axis) {
    int stride = axis == 0 ? 1 : axis == 1 ? n[0] : n[0] * n[1];
    double[] src = v.clone();
    for (int idx = 0; idx < v.length; idx++) {
      int pos = (idx / stride) % n[axis];
      double prev = src[pos > 0 ? idx - stride : idx];
      double next = src[pos < n[axis] - 1 ? idx + stride : idx];
      v[idx] = 0.25 * prev + 0.5 * src[idx] + 0.25 * next;
    }
  }

  private static void standardise(double[] v) {
    double sum = 0;
    double sum2 = 0;
    for (double d : v) {
      sum += d;
      sum2 += d * d;
    }
    double mean = sum / v.length;
    double std = Math.sqrt(Math.max(sum2 / v.length - mean * mean, 1e-12));
    for (int i = 0; i < v.length; i++) {
      v[i] = (v[i] - mean) / std;
    }
  }

  private static float[] upsample(Grid grid, double[] nodes, int[] n) {
    int[][] lo = new int[3][];
    double[][] w = new double[3][];
    for (int a = 0; a < 3; a++) {
      int size = grid.dim(a);
      lo[a] = new int[size];
      w[a] = new double[size];
      for (int i = 0; i < size; i++) {
        double t = (i + 0.5) / size * (n[a] - 1);
        lo[a][i] = Math.min((int) t, n[a] - 2);
        w[a][i] = t - lo[a][i];
      }
    }
    float[] out = new float[grid.size()];
    int sy = n[0];
    int sz = n[0] * n[1];
    int idx = 0;
    for (int k = 0; k < grid.nz(); k++) {
      for (int j = 0; j < grid.ny(); j++) {
        for (int i = 0; i < grid.nx(); i++) {
          int base = lo[0][i] + sy * lo[1][j] + sz * lo[2][k];
          double wx = w[0][i];
          double wy = w[1][j];
          double wz = w[2][k];
          double c00 = lerp(nodes[base], nodes[base + 1], wx);
          double c10 = lerp(nodes[base + sy], nodes[base + sy + 1], wx);
          double c01 = lerp(nodes[base + sz], nodes[base + sz + 1], wx);
          double c11 = lerp(nodes[base + sy + sz], nodes[base + sy + sz + 1], wx);
          out[idx++] = (float) lerp(lerp(c00, c10, wy), lerp(c01, c11, wy), wz);
        }
      }
    }
    return out;
  }

  private static double lerp(double a, double b, double t) {
    return a + (b - a) * t;
  }
}
