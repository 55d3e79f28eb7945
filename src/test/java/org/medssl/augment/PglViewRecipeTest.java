package org.medssl.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** PGL's view chain: crops that overlap, resampling that matches the recorded geometry, intensity draws. */
class PglViewRecipeTest {

  /** Voxel (z, y, x) holds {@code cz z + cy y + cx x}: linear interpolation reproduces it exactly. */
  static DenseImage ramp(int[] shape, double... coefficients) {
    int[] s = shape.length == 3 ? shape : new int[] {1, shape[0], shape[1]};
    double[] c = coefficients.length == 3 ? coefficients : new double[] {0, coefficients[0], coefficients[1]};
    float[] v = new float[s[0] * s[1] * s[2]];
    for (int z = 0; z < s[0]; z++) {
      for (int y = 0; y < s[1]; y++) {
        for (int x = 0; x < s[2]; x++) {
          v[(z * s[1] + y) * s[2] + x] = (float) (c[0] * z + c[1] * y + c[2] * x);
        }
      }
    }
    return new DenseImage(v, shape);
  }

  /** Source index coordinate of output voxel k on one axis of a view (flip undone, centre of the voxel). */
  static double sourceIndex(ViewGeometry g, int axis, int k) {
    int out = g.outSize()[axis];
    int unflipped = g.flips()[axis] ? out - 1 - k : k;
    return g.origin()[axis] + (unflipped + 0.5) * g.size()[axis] / out - 0.5;
  }

  @Test
  void everyVoxelOfAViewComesFromWhereItsGeometrySays() {
    SplittableRandom rng = new SplittableRandom(3);
    PglViewRecipe recipe = PglViewRecipe.spatialOnly(new OverlappingCrops(1.1, 1.4, 0.1));
    int[] image = {20, 30, 40};
    int[] out = {8, 12, 16};
    for (int axis = 0; axis < 3; axis++) {
      double[] c = new double[3];
      c[axis] = 1;
      DenseImage src = ramp(image, c);
      for (int trial = 0; trial < 10; trial++) {
        for (PglViewRecipe.View v : recipe.samplePair(src, out, rng)) {
          assertArrayEquals(out, v.image().shape());
          for (int k = 0; k < out[axis]; k++) {
            int[] at = {3, 5, 7};
            at[axis] = k;
            float value = v.image().values()[(at[0] * out[1] + at[1]) * out[2] + at[2]];
            double expected = Math.min(image[axis] - 1, Math.max(0, sourceIndex(v.geometry(), axis, k)));
            assertEquals(expected, value, 1e-4, "axis " + axis + " voxel " + k + " of " + v.geometry());
          }
        }
      }
    }
  }

  @Test
  void sliceViewsFollowTheSameGeometry() {
    SplittableRandom rng = new SplittableRandom(4);
    PglViewRecipe recipe = PglViewRecipe.spatialOnly(new OverlappingCrops(1.1, 1.4, 0.1));
    DenseImage src = ramp(new int[] {50, 60}, 100, 1);
    for (int trial = 0; trial < 20; trial++) {
      for (PglViewRecipe.View v : recipe.samplePair(src, new int[] {16, 24}, rng)) {
        ViewGeometry g = v.geometry();
        assertEquals(2, g.dims());
        for (int y = 0; y < 16; y += 3) {
          for (int x = 0; x < 24; x += 5) {
            assertEquals(100 * sourceIndex(g, 0, y) + sourceIndex(g, 1, x), v.image().values()[y * 24 + x], 2e-3);
          }
        }
      }
    }
  }

  @Test
  void resamplingEqualsEightTapTrilinearWithTheMinimumOutside() {
    SplittableRandom rng = new SplittableRandom(5);
    int[] shape = {7, 9, 11};
    float[] v = new float[7 * 9 * 11];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    DenseImage src = new DenseImage(v, shape);
    float fill = src.min();
    CropBox box = new CropBox(new double[] {-2.5, 1.3, 3.7}, new double[] {9.0, 6.1, 10.2}); // sticks out low and high
    int[] out = {5, 8, 13};
    float[] got = box.toGeometry(new boolean[3], out).render(src).values();
    for (int z = 0; z < out[0]; z++) {
      for (int y = 0; y < out[1]; y++) {
        for (int x = 0; x < out[2]; x++) {
          double[] c = new double[3];
          int[] k = {z, y, x};
          for (int a = 0; a < 3; a++) {
            c[a] = box.start(a) + (k[a] + 0.5) * box.size()[a] / out[a] - 0.5;
          }
          assertEquals(trilinear(src, c, fill), got[(z * out[1] + y) * out[2] + x], 1e-5);
        }
      }
    }
  }

  /** The reference: outside the image's extent [-0.5, n - 0.5] the fill value, inside clamped 8-tap trilinear. */
  private static double trilinear(DenseImage img, double[] c, float fill) {
    int[] s = img.shape();
    int[] lo = new int[3];
    double[] w = new double[3];
    for (int a = 0; a < 3; a++) {
      if (c[a] < -0.5 || c[a] > s[a] - 0.5) {
        return fill;
      }
      double cc = Math.min(s[a] - 1, Math.max(0, c[a]));
      lo[a] = (int) Math.floor(cc);
      w[a] = cc - lo[a];
    }
    double sum = 0;
    for (int corner = 0; corner < 8; corner++) {
      double weight = 1;
      int[] idx = new int[3];
      for (int a = 0; a < 3; a++) {
        boolean up = (corner >> a & 1) == 1;
        idx[a] = Math.min(s[a] - 1, lo[a] + (up ? 1 : 0));
        weight *= up ? w[a] : 1 - w[a];
      }
      sum += weight * img.values()[(idx[0] * s[1] + idx[1]) * s[2] + idx[2]];
    }
    return sum;
  }

  @Test
  void cropSidesAreTheDrawnMultipleOfTheInputOrTheWholeImage() {
    SplittableRandom rng = new SplittableRandom(6);
    OverlappingCrops crops = new OverlappingCrops(1.1, 1.4, 0.1);
    int[] image = {40, 100, 100};
    int[] input = {32, 64, 64};
    for (int trial = 0; trial < 200; trial++) {
      for (CropBox b : crops.sample(image, input, rng)) {
        assertEquals(Math.min(40, b.size()[0]), b.size()[0], 0.0);
        assertTrue(b.size()[0] >= 35.2 - 1e-9 || b.size()[0] == 40, "depth " + b.size()[0]);
        for (int a = 1; a < 3; a++) {
          assertTrue(b.size()[a] >= 1.1 * 64 - 1e-9 && b.size()[a] <= 1.4 * 64 + 1e-9, "side " + b.size()[a]);
        }
        for (int a = 0; a < 3; a++) {
          assertTrue(b.start(a) >= 0 && b.end(a) <= image[a] + 1e-9, b.toString());
        }
      }
    }
  }

  @Test
  void noPairEverOverlapsByLessThanTenPercent() {
    SplittableRandom rng = new SplittableRandom(7);
    int[][][] cases = {
        {{96, 96, 32}, {32, 64, 64}}, // the volume smaller than the crop on some axes
        {{400, 400, 400}, {16, 16, 16}}, // crops tiny against the image: random pairs rarely meet
        {{5, 3, 4}, {8, 8, 8}}, // image smaller than the input everywhere
        {{1, 50, 60}, {1, 8, 8}},
        {{300, 20}, {12, 12}}, // slices
        {{1000, 1000}, {8, 8}}};
    double[][] scales = {{1.1, 1.4}, {1.1, 1.1}, {1.4, 1.4}, {0.5, 3.0}, {1.0, 10.0}};
    int pairs = 0;
    for (int[][] c : cases) {
      for (double[] s : scales) {
        OverlappingCrops crops = new OverlappingCrops(s[0], s[1], 0.1);
        for (int trial = 0; trial < 300; trial++) {
          CropBox[] b = crops.sample(c[0], c[1], rng);
          assertTrue(b[0].overlap(b[1]) >= 0.1, b[0] + " " + b[1]);
          assertTrue(b[0].intersectionVolume(b[1]) >= 0.1 * b[0].volume()
              && b[0].intersectionVolume(b[1]) >= 0.1 * b[1].volume());
          pairs++;
        }
      }
    }
    assertEquals(6 * 5 * 300, pairs);
  }

  @Test
  void anUnreachableThresholdStillNeverReturnsAPairBelowIt() {
    SplittableRandom rng = new SplittableRandom(8);
    // Different sides can never overlap by 99 %: rejection fails, so the guarantee must come from the fallback.
    OverlappingCrops strict = new OverlappingCrops(1.0, 3.0, 0.99);
    for (int trial = 0; trial < 50; trial++) {
      CropBox[] b = strict.sample(new int[] {200, 200, 200}, new int[] {10, 10, 10}, rng);
      assertTrue(b[0].overlap(b[1]) >= 0.99, b[0] + " " + b[1]);
    }
    OverlappingCrops tight = new OverlappingCrops(1.1, 1.4, 0.45); // the corner fallback always reaches 0.785^3
    for (int trial = 0; trial < 50; trial++) {
      CropBox[] b = tight.sample(new int[] {2000, 2000, 2000}, new int[] {10, 10, 10}, rng);
      assertTrue(b[0].overlap(b[1]) >= 0.45);
    }
  }

  @Test
  void overlapIsTheSharedVolumeOverTheLargerBox() {
    CropBox a = new CropBox(new double[] {0, 0}, new double[] {10, 10});
    CropBox b = new CropBox(new double[] {5, 8}, new double[] {20, 10});
    assertEquals(5 * 2, a.intersectionVolume(b), 1e-12);
    assertEquals(10.0 / 200, a.overlap(b), 1e-12);
    assertEquals(a.overlap(b), b.overlap(a), 0);
    assertEquals(0, a.overlap(new CropBox(new double[] {10, 0}, new double[] {3, 3})), 0);
  }

  @Test
  void intensityDrawsFollowThePapersProbabilitiesAndRanges() {
    SplittableRandom rng = new SplittableRandom(9);
    PglViewRecipe recipe = PglViewRecipe.paper();
    int n = 20000;
    int noise = 0;
    int blur = 0;
    int bright = 0;
    int gamma = 0;
    for (int i = 0; i < n; i++) {
      VoxelIntensity d = recipe.sampleIntensity(rng);
      if (d.noiseStd() > 0) {
        noise++;
        assertTrue(d.noiseStd() * d.noiseStd() <= 0.1);
      }
      if (d.blurSigma() > 0) {
        blur++;
        assertTrue(d.blurSigma() >= 0.5 && d.blurSigma() <= 1.0);
      }
      if (d.brightness() != 1) {
        bright++;
        assertTrue(d.brightness() >= 0.75 && d.brightness() <= 1.25);
      }
      if (d.gamma() != 1) {
        gamma++;
        assertTrue(d.gamma() >= 0.7 && d.gamma() <= 1.5);
      }
    }
    assertEquals(0.1, noise / (double) n, 0.01);
    assertEquals(0.2, blur / (double) n, 0.015);
    assertEquals(0.5, bright / (double) n, 0.015);
    assertEquals(0.5, gamma / (double) n, 0.015);
  }

  @Test
  void flipsAreDrawnPerAxisWithProbabilityOneHalf() {
    SplittableRandom rng = new SplittableRandom(10);
    int[] count = new int[3];
    int n = 4000;
    for (int i = 0; i < n; i++) {
      for (ViewGeometry g : PglViewRecipe.paper().sampleGeometries(new int[] {40, 40, 40}, new int[] {16, 16, 16}, rng)) {
        for (int a = 0; a < 3; a++) {
          count[a] += g.flips()[a] ? 1 : 0;
        }
      }
    }
    for (int a = 0; a < 3; a++) {
      assertEquals(0.5, count[a] / (2.0 * n), 0.02, "axis " + a);
    }
  }

  @Test
  void brightnessClipsToTheOriginalRangeAndGammaKeepsIt() {
    DenseImage img = ramp(new int[] {3, 4, 5}, 1, -2, 0.5);
    float lo = img.min();
    float hi = img.max();
    for (double f : new double[] {0.75, 1.25}) {
      DenseImage b = VoxelOps.scaleClipped(img, f);
      assertTrue(b.min() >= lo && b.max() <= hi);
    }
    DenseImage g = VoxelOps.gamma(img, 1.5);
    assertEquals(lo, g.min(), 1e-5);
    assertEquals(hi, g.max(), 1e-5);
    float mid = img.values()[img.values().length / 2];
    double t = (mid - lo) / (hi - lo);
    assertEquals(lo + (hi - lo) * Math.pow(t, 1.5), g.values()[img.values().length / 2], 1e-4);
  }

  @Test
  void blurKeepsConstantsAndLinearInteriorsAndFlipsMirrorTheView() {
    DenseImage constant = new DenseImage(new float[4 * 5 * 6], new int[] {4, 5, 6});
    java.util.Arrays.fill(constant.values(), 2.5f);
    assertArrayEquals(constant.values(), VoxelOps.blur(constant, 0.8).values(), 1e-5f);
    DenseImage r = ramp(new int[] {9, 9, 9}, 1, 2, 3);
    DenseImage blurred = VoxelOps.blur(r, 0.7);
    int centre = (4 * 9 + 4) * 9 + 4;
    assertEquals(r.values()[centre], blurred.values()[centre], 1e-4);
    DenseImage slice = ramp(new int[] {3, 4}, 10, 1);
    CropBox whole = new CropBox(new double[] {0, 0}, new double[] {3, 4});
    int[] same = {3, 4};
    assertArrayEquals(slice.values(), whole.toGeometry(new boolean[2], same).render(slice).values());
    assertEquals(3f, whole.toGeometry(new boolean[] {false, true}, same).render(slice).values()[0]);
    assertEquals(20f, whole.toGeometry(new boolean[] {true, false}, same).render(slice).values()[0]);
    assertArrayEquals(new int[] {3, 4}, VoxelOps.blur(slice, 0.6).shape());
  }

  @Test
  void noiseHasTheDrawnStandardDeviation() {
    DenseImage zero = new DenseImage(new float[50_000], new int[] {50, 1000});
    float[] v = VoxelOps.addNoise(zero, 0.3, 42).values();
    double sq = 0;
    for (float x : v) {
      sq += x * x;
    }
    assertEquals(0.3, Math.sqrt(sq / v.length), 0.01);
  }
}
