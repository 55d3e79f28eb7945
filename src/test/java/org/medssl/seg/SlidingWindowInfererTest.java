package org.medssl.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medssl.data.PatchSize;
import org.medssl.image.Grid;
import org.medssl.image.LabelMap;
import org.medssl.image.MultiChannelVolume;
import org.medssl.image.Volume;
import org.medssl.nn.Dims;
import org.medssl.nn.NormKind;
import org.medssl.nn.SegNet;
import org.medssl.nn.SegNetConfig;
import org.medssl.tensor.NoGrad;
import org.medssl.tensor.Precision;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;

class SlidingWindowInfererTest {

  // ---- the importance map and the window layout ----

  @Test
  void gaussianMapPeaksAtOneInTheCentreIsSymmetricAndHasSigmaAnEighthOfEachSide() {
    PatchSize p = new PatchSize(5, 6, 16);
    float[] g = SlidingWindowInferer.gaussian(p);
    float max = 0;
    for (int z = 0; z < 5; z++) {
      for (int y = 0; y < 6; y++) {
        for (int x = 0; x < 16; x++) {
          float v = g[at(p, z, y, x)];
          assertTrue(v > 0, "positive everywhere");
          max = Math.max(max, v);
          assertEquals(v, g[at(p, 4 - z, y, x)], 0f, "symmetric in z");
          assertEquals(v, g[at(p, z, 5 - y, x)], 0f, "symmetric in y");
          assertEquals(v, g[at(p, z, y, 15 - x)], 0f, "symmetric in x");
        }
      }
    }
    assertEquals(1f, max, 0f);
    // the peak: the central slice (odd depth), the two central rows and columns (even sides)
    assertEquals(1f, g[at(p, 2, 2, 7)], 1e-6f);
    assertEquals(1f, g[at(p, 2, 3, 8)], 1e-6f);
    // along x, sigma = 16/8 = 2: the values fall as exp(-d^2 / 8) with the distance d from the centre 7.5
    double ratio = g[at(p, 2, 2, 13)] / (double) g[at(p, 2, 2, 9)]; // d = 5.5 vs 1.5
    assertEquals(Math.exp(-(5.5 * 5.5 - 1.5 * 1.5) / 8), ratio, 1e-5);
    // along z, sigma = 5/8: a distance of 1 is exp(-1 / (2 * 0.390625))
    assertEquals(Math.exp(-1 / (2 * 0.625 * 0.625)), g[at(p, 3, 2, 7)] / (double) g[at(p, 2, 2, 7)], 1e-5);
  }

  private static int at(PatchSize p, int z, int y, int x) {
    return (z * p.height() + y) * p.width() + x;
  }

  @Test
  void windowsSpreadEvenlyFromTheFirstToTheLastVoxel() {
    assertArrayEquals(new int[] {0}, SlidingWindowInferer.windowStarts(64, 64, 0.5));
    assertArrayEquals(new int[] {0}, SlidingWindowInferer.windowStarts(40, 64, 0.5), "padded first: one window");
    assertArrayEquals(new int[] {0, 32}, SlidingWindowInferer.windowStarts(96, 64, 0.5));
    assertArrayEquals(new int[] {0, 18, 36}, SlidingWindowInferer.windowStarts(100, 64, 0.5));
    assertArrayEquals(new int[] {0, 2, 4, 5, 7}, SlidingWindowInferer.windowStarts(11, 4, 0.5));
    assertArrayEquals(new int[] {0, 3, 6}, SlidingWindowInferer.windowStarts(10, 4, 0), "no overlap: spread evenly");
  }

  @Test
  void windowsCoverEveryVoxelWithStepsNoLargerThanTheOverlapAllows() {
    for (int patch = 1; patch <= 12; patch++) {
      for (int size = patch; size <= 40; size++) {
        for (double overlap : new double[] {0, 0.25, 0.5, 0.75, 0.95}) {
          int[] s = SlidingWindowInferer.windowStarts(size, patch, overlap);
          String what = "size " + size + ", patch " + patch + ", overlap " + overlap;
          assertEquals(0, s[0], what);
          assertEquals(size - patch, s[s.length - 1], what);
          double maxStep = Math.max(1, patch * (1 - overlap));
          for (int i = 1; i < s.length; i++) {
            assertTrue(s[i] > s[i - 1] && s[i] - s[i - 1] <= Math.ceil(maxStep), what + ": " + java.util.Arrays.toString(s));
          }
        }
      }
    }
  }

  @Test
  void windowsOfAVolumeAreTheProductOfTheAxesAndTheWorkCountsThem() {
    List<int[]> w = SlidingWindowInferer.windows(new int[] {32, 96, 100}, new PatchSize(32, 64, 64), 0.5);
    assertEquals(6, w.size());
    assertArrayEquals(new int[] {0, 0, 0}, w.get(0));
    assertArrayEquals(new int[] {0, 0, 18}, w.get(1), "x fastest");
    assertArrayEquals(new int[] {0, 32, 36}, w.get(5));
    var inferer = SlidingWindowInferer.of(SlidingWindow.of(new PatchSize(32, 64, 64)), Precision.FP32);
    assertEquals(new Inferer.Work(6, "windows"), inferer.work(Grid.of(100, 96, 32, 1, 1, 1)));
    assertEquals(1, inferer.work(Grid.of(20, 20, 8, 1, 1, 1)).total(), "a small volume is one padded window");
  }

  // ---- against a whole-volume forward pass ----

  @Test
  void aPatchAsLargeAsTheVolumeGivesTheWholeVolumeArgmax() {
    SegNetConfig cfg = new SegNetConfig(Dims.THREE, 1, 3, new int[] {2, 4}, NormKind.INSTANCE);
    Volume v = texture(16, 8, 12, 1);
    try (SegNet net = new SegNet(cfg, new SplittableRandom(2))) {
      net.train(false);
      int[] expected = wholeVolumeArgmax(net, v.voxels(), 12, 8, 16);
      var inferer = new SlidingWindowInferer(SlidingWindow.of(new PatchSize(12, 8, 16)), 2, Precision.FP32);
      List<Integer> progress = new ArrayList<>();
      LabelMap labels = inferer.predict(net, MultiChannelVolume.of(v), progress::add);
      assertArrayEquals(expected, labels.labels());
      assertEquals(v.grid(), labels.grid());
      assertEquals(List.of(1), progress);
      assertTrue(distinct(expected) > 1, "a test with one class everywhere would prove little");
    }
  }

  @Test
  void aVolumeSmallerThanThePatchIsPaddedInTheCentreWithItsMinimumAndCroppedBack() {
    SegNetConfig cfg = new SegNetConfig(Dims.THREE, 1, 3, new int[] {2, 4}, NormKind.INSTANCE);
    Volume v = texture(6, 7, 5, 3); // (z, y, x) = (5, 7, 6) into an (8, 8, 12) window
    int[] offset = {1, 0, 3}; // (8-5)/2, (8-7)/2, (12-6)/2: different per axis, so a mix-up would show
    float min = Float.POSITIVE_INFINITY;
    for (float f : v.voxels()) {
      min = Math.min(min, f);
    }
    float[] padded = new float[8 * 8 * 12];
    java.util.Arrays.fill(padded, min);
    for (int z = 0; z < 5; z++) {
      for (int y = 0; y < 7; y++) {
        for (int x = 0; x < 6; x++) {
          padded[((z + offset[0]) * 8 + y + offset[1]) * 12 + x + offset[2]] = v.get(x, y, z);
        }
      }
    }
    try (SegNet net = new SegNet(cfg, new SplittableRandom(4))) {
      net.train(false);
      int[] whole = wholeVolumeArgmax(net, padded, 8, 8, 12);
      int[] expected = new int[v.grid().size()];
      for (int z = 0; z < 5; z++) {
        for (int y = 0; y < 7; y++) {
          for (int x = 0; x < 6; x++) {
            expected[v.grid().index(x, y, z)] = whole[((z + offset[0]) * 8 + y + offset[1]) * 12 + x + offset[2]];
          }
        }
      }
      LabelMap labels = SlidingWindowInferer.of(SlidingWindow.of(new PatchSize(8, 8, 12)), Precision.FP32).predict(net, v);
      assertArrayEquals(expected, labels.labels());
      assertTrue(distinct(expected) > 1);
    }
  }

  /**
   * A U-Net with batch norm in eval mode is local (every layer a convolution, pooling or a
   * per-channel affine map) and, for shifts by multiples of its downsampling factor, translation
   * equivariant. So wherever every window covering a voxel contains the voxel's receptive field
   * (or the part outside the window is outside the volume too), each window gives exactly the
   * whole-volume probabilities and so does any weighted average of them. The window starts here
   * are even, the volume is not a cube and the windows are not cubes, so wrong offsets, swapped or
   * flipped axes, a missing last window or wrong cropping would all show.
   */
  @Test
  void aLocalNetworkIsReproducedWhereverEveryCoveringWindowHoldsTheReceptiveField() {
    SegNetConfig cfg = new SegNetConfig(Dims.THREE, 1, 3, new int[] {2, 4}, NormKind.BATCH);
    int[] size = {60, 80, 96};
    PatchSize patch = new PatchSize(40, 40, 48);
    Volume v = texture(size[2], size[1], size[0], 5);
    try (SegNet net = new SegNet(cfg, new SplittableRandom(6))) {
      net.train(false);
      float[] whole = wholeVolumeProbabilities(net, v.voxels(), size[0], size[1], size[2]);
      var inferer = new SlidingWindowInferer(new SlidingWindow(patch, 0.5), 4, Precision.FP32);
      SlidingWindowInferer.Probabilities probs = inferer.probabilities(net, v, done -> { });
      LabelMap labels = inferer.predict(net, v);
      boolean[][] clean = new boolean[3][];
      for (int a = 0; a < 3; a++) {
        int[] starts = SlidingWindowInferer.windowStarts(size[a], patch.toArray()[a], 0.5);
        for (int s : starts) {
          assertEquals(0, s % net.downsamplingFactor(), "the test needs windows on the pooling grid");
        }
        clean[a] = cleanPositions(size[a], patch.toArray()[a], starts, RECEPTIVE_RADIUS);
      }
      int n = v.grid().size();
      int checked = 0;
      int agreeing = 0;
      for (int z = 0; z < size[0]; z++) {
        for (int y = 0; y < size[1]; y++) {
          for (int x = 0; x < size[2]; x++) {
            int i = v.grid().index(x, y, z);
            double sum = 0;
            for (int c = 0; c < 3; c++) {
              sum += probs.get(c, i);
            }
            assertEquals(1, sum, 1e-5, "probabilities sum to 1");
            int expected = argmax(whole, i, n);
            agreeing += labels.labels()[i] == expected ? 1 : 0;
            if (clean[0][z] && clean[1][y] && clean[2][x]) {
              checked++;
              for (int c = 0; c < 3; c++) {
                assertEquals(whole[c * n + i], probs.get(c, i), 1e-5, "class " + c + " at " + z + "," + y + "," + x);
              }
              if (margin(whole, i, n) > 1e-4) {
                assertEquals(expected, labels.labels()[i], "label at " + z + "," + y + "," + x);
              }
            }
          }
        }
      }
      assertTrue(checked > n / 10, "compared " + checked + " of " + n + " voxels");
      assertTrue(agreeing > 0.95 * n, "labels agree on " + agreeing + " of " + n + " voxels overall");
    }
  }

  /** Half the receptive field of a 2-stage U-Net (two 3^3 convolutions per block, one pooling), plus one. */
  private static final int RECEPTIVE_RADIUS = 10;

  /**
   * Positions along an axis where every covering window keeps {@code radius} voxels of context on
   * each side, or reaches the volume's border there.
   */
  private static boolean[] cleanPositions(int size, int patch, int[] starts, int radius) {
    boolean[] clean = new boolean[size];
    for (int i = 0; i < size; i++) {
      clean[i] = true;
      for (int s : starts) {
        if (i >= s && i < s + patch) {
          boolean left = s == 0 || i - s >= radius;
          boolean right = s + patch == size || s + patch - 1 - i >= radius;
          clean[i] &= left && right;
        }
      }
    }
    return clean;
  }

  /**
   * A network whose logits are constant per window (class 1: 3 x the window's mean intensity)
   * makes the blending visible: each voxel must get the Gaussian-weighted mean of the
   * probabilities of the windows covering it, with the map centred on each window, which this
   * test computes directly from the window starts and the map.
   */
  @Test
  void eachVoxelGetsTheGaussianWeightedMeanOfItsWindows() {
    int[] size = {9, 13, 17};
    PatchSize patch = new PatchSize(4, 6, 8);
    Volume v = texture(size[2], size[1], size[0], 8);
    var inferer = new SlidingWindowInferer(new SlidingWindow(patch, 0.5), 3, Precision.FP32);
    SlidingWindowInferer.Probabilities probs = inferer.probabilities(SlidingWindowInfererTest::windowMeanLogits, 2, v);

    float[] g = SlidingWindowInferer.gaussian(patch);
    int n = v.grid().size();
    double[] num = new double[n];
    double[] den = new double[n];
    int windows = 0;
    for (int[] o : SlidingWindowInferer.windows(size, patch, 0.5)) {
      windows++;
      double mean = 0;
      for (int z = 0; z < 4; z++) {
        for (int y = 0; y < 6; y++) {
          for (int x = 0; x < 8; x++) {
            mean += v.get(o[2] + x, o[1] + y, o[0] + z);
          }
        }
      }
      double p1 = 1 / (1 + Math.exp(-3 * mean / patch.voxels()));
      for (int z = 0; z < 4; z++) {
        for (int y = 0; y < 6; y++) {
          for (int x = 0; x < 8; x++) {
            int i = v.grid().index(o[2] + x, o[1] + y, o[0] + z);
            num[i] += g[at(patch, z, y, x)] * p1;
            den[i] += g[at(patch, z, y, x)];
          }
        }
      }
    }
    assertEquals(4 * 4 * 4, windows);
    for (int i = 0; i < n; i++) {
      assertEquals(num[i] / den[i], probs.get(1, i), 1e-5, "voxel " + i);
      assertEquals(1 - num[i] / den[i], probs.get(0, i), 1e-5, "voxel " + i);
    }
  }

  private static Tensor windowMeanLogits(Tensor x) {
    long[] s = x.shape();
    Tensor zeros = Tensor.zeros(s[0], 1, s[2], s[3], s[4]);
    Tensor mean = x.globalAvgPool().reshape(s[0], 1, 1, 1, 1);
    return Tensor.cat(List.of(zeros, zeros.add(mean.mul(3))), 1);
  }

  // ---- helpers ----

  /** Smooth structure plus noise, so that several classes win somewhere. */
  static Volume texture(int nx, int ny, int nz, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Grid g = Grid.of(nx, ny, nz, 1, 1, 1);
    float[] v = new float[g.size()];
    for (int z = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++) {
          v[g.index(x, y, z)] = (float) (Math.sin(x * 0.4) + Math.cos(y * 0.3 + z * 0.5) + 0.3 * rng.nextGaussian());
        }
      }
    }
    return new Volume(g, v);
  }

  private static float[] wholeVolumeProbabilities(SegNet net, float[] voxels, int d, int h, int w) {
    try (StepScope s = StepScope.open(); NoGrad g = NoGrad.open()) {
      return net.forward(Tensor.of(voxels, 1, 1, d, h, w)).softmax(1).toFloats();
    }
  }

  private static int[] wholeVolumeArgmax(SegNet net, float[] voxels, int d, int h, int w) {
    float[] p = wholeVolumeProbabilities(net, voxels, d, h, w);
    int n = d * h * w;
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = argmax(p, i, n);
    }
    return out;
  }

  private static int argmax(float[] p, int i, int n) {
    int best = 0;
    for (int c = 1; c * n < p.length; c++) {
      if (p[c * n + i] > p[best * n + i]) {
        best = c;
      }
    }
    return best;
  }

  /** The gap between the two largest probabilities at voxel {@code i}. */
  private static double margin(float[] p, int i, int n) {
    float first = Float.NEGATIVE_INFINITY;
    float second = Float.NEGATIVE_INFINITY;
    for (int c = 0; c * n < p.length; c++) {
      float v = p[c * n + i];
      if (v > first) {
        second = first;
        first = v;
      } else if (v > second) {
        second = v;
      }
    }
    return first - second;
  }

  private static long distinct(int[] labels) {
    return java.util.Arrays.stream(labels).distinct().count();
  }
}
