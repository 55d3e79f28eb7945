package org.medssl.ssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medssl.augment.DenseImage;
import org.medssl.augment.OverlappingCrops;
import org.medssl.augment.PglViewRecipe;
import org.medssl.augment.ViewGeometry;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;

/**
 * The proof that PGL's aligner brings both views onto the same place of the image.
 *
 * <p>The "image" is a set of coordinate ramps: channel a holds, at every voxel, its source index
 * coordinate along axis a. Views of it are rendered with the production view code
 * ({@link ViewGeometry#render}), and the "encoder" is average pooling by the stride, purely
 * spatial, so a feature voxel holds the source coordinates of its block's centre. After
 * alignment, bin k of the overlap must therefore read, in <em>both</em> views, the source
 * coordinates of the bin's centre, computed here independently from the two crop boxes. That is
 * exact wherever the bin's centre lies between feature voxel centres of the view's map; at the
 * map's rim (half a feature voxel wide) RoIAlign clamps to the border, so those bins are only
 * required to be within half a feature voxel.
 */
class PriorAlignmentTest {
  private static final int STRIDE = 4;
  private static final double EXACT = 1e-3;

  // ---- 3D -------------------------------------------------------------------------------------

  private static final int[] IMAGE3 = {40, 50, 60};
  private static final int[] INPUT3 = {16, 24, 32}; // features {4, 6, 8}: a mixed-up axis would show

  /** Every combination of flips of the two views, one per sample, with a 110 % and a 140 % crop. */
  private static List<List<ViewGeometry>> everyFlipCombination3d() {
    List<ViewGeometry> first = new ArrayList<>();
    List<ViewGeometry> second = new ArrayList<>();
    for (int m1 = 0; m1 < 8; m1++) {
      for (int m2 = 0; m2 < 8; m2++) {
        first.add(view(new double[] {3, 5, 7}, scaled(INPUT3, 1.1), mask(m1, 3), INPUT3));
        second.add(view(new double[] {10, 2, 15}, scaled(INPUT3, 1.4), mask(m2, 3), INPUT3));
      }
    }
    return List.of(first, second);
  }

  @Test
  void everyFlipCombinationOfA110And140PercentCropAlignsIn3d() {
    List<List<ViewGeometry>> views = everyFlipCombination3d();
    int exact = alignAndCheck(IMAGE3, views.get(0), views.get(1));
    assertTrue(exact > 0.4 * 64 * 3 * 4 * 6 * 8 * 2, "too few bins checked exactly: " + exact);
  }

  @Test
  void viewsFromTheSamplerAlignIn3d() {
    SplittableRandom rng = new SplittableRandom(21);
    PglViewRecipe recipe = PglViewRecipe.spatialOnly(new OverlappingCrops(1.1, 1.4, 0.1));
    List<ViewGeometry> first = new ArrayList<>();
    List<ViewGeometry> second = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      ViewGeometry[] g = recipe.sampleGeometries(IMAGE3, INPUT3, rng);
      first.add(g[0]);
      second.add(g[1]);
    }
    assertTrue(first.stream().anyMatch(g -> g.flips()[0]) && second.stream().anyMatch(g -> !g.flips()[2]));
    alignAndCheck(IMAGE3, first, second);
  }

  // ---- 2D -------------------------------------------------------------------------------------

  private static final int[] IMAGE2 = {50, 60};
  private static final int[] INPUT2 = {24, 32};

  @Test
  void everyFlipCombinationOfA110And140PercentCropAlignsIn2d() {
    List<ViewGeometry> first = new ArrayList<>();
    List<ViewGeometry> second = new ArrayList<>();
    for (int m1 = 0; m1 < 4; m1++) {
      for (int m2 = 0; m2 < 4; m2++) {
        first.add(view(new double[] {12, 2}, scaled(INPUT2, 1.4), mask(m1, 2), INPUT2));
        second.add(view(new double[] {5, 20}, scaled(INPUT2, 1.1), mask(m2, 2), INPUT2));
      }
    }
    int exact = alignAndCheck(IMAGE2, first, second);
    assertTrue(exact > 0.4 * 16 * 2 * 6 * 8 * 2, "too few bins checked exactly: " + exact);
  }

  @Test
  void viewsFromTheSamplerAlignIn2d() {
    SplittableRandom rng = new SplittableRandom(22);
    PglViewRecipe recipe = PglViewRecipe.spatialOnly(new OverlappingCrops(1.1, 1.4, 0.1));
    List<ViewGeometry> first = new ArrayList<>();
    List<ViewGeometry> second = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      ViewGeometry[] g = recipe.sampleGeometries(IMAGE2, INPUT2, rng);
      first.add(g[0]);
      second.add(g[1]);
    }
    alignAndCheck(IMAGE2, first, second);
  }

  // ---- the switches ---------------------------------------------------------------------------

  @Test
  void withAnAlignmentStepSwitchedOffTheViewsDisagree() {
    List<List<ViewGeometry>> views = everyFlipCombination3d();
    try (StepScope s = StepScope.open()) {
      Tensor f1 = coordinateFeatures(IMAGE3, views.get(0));
      Tensor f2 = coordinateFeatures(IMAGE3, views.get(1));
      for (PriorAlignment off : List.of(new PriorAlignment(false, false), new PriorAlignment(true, false),
          new PriorAlignment(false, true))) {
        PriorAlignment.Aligned a = off.align(f1, views.get(0), f2, views.get(1));
        double diff = meanAbsDifference(a.first(), a.second());
        assertTrue(diff > 5, off + ": views still agree, mean difference " + diff + " voxels");
      }
      double aligned = meanAbsDifference(PriorAlignment.both().align(f1, views.get(0), f2, views.get(1)));
      // Aligned, only the rim bins differ (RoIAlign clamps at the border): a fraction of a voxel on average.
      assertTrue(aligned < 0.5, "aligned views differ by " + aligned + " voxels on average");
    }
  }

  @Test
  void eachStepAloneSufficesForTheTransformItUndoes() {
    try (StepScope s = StepScope.open()) {
      // Same crop, different flips: FlipAlign alone makes the maps identical.
      List<ViewGeometry> a = new ArrayList<>();
      List<ViewGeometry> b = new ArrayList<>();
      for (int m = 0; m < 8; m++) {
        a.add(view(new double[] {3, 5, 7}, scaled(INPUT3, 1.2), mask(m, 3), INPUT3));
        b.add(view(new double[] {3, 5, 7}, scaled(INPUT3, 1.2), mask(7 - m, 3), INPUT3));
      }
      Tensor fa = coordinateFeatures(IMAGE3, a);
      Tensor fb = coordinateFeatures(IMAGE3, b);
      assertTrue(meanAbsDifference(new PriorAlignment(false, false).align(fa, a, fb, b)) > 2);
      assertEquals(0, meanAbsDifference(new PriorAlignment(true, false).align(fa, a, fb, b)), 1e-5);
      // Different crops, no flips: CSAlign alone aligns.
      List<ViewGeometry> c = List.of(view(new double[] {3, 5, 7}, scaled(INPUT3, 1.1), new boolean[3], INPUT3));
      List<ViewGeometry> d = List.of(view(new double[] {10, 2, 15}, scaled(INPUT3, 1.4), new boolean[3], INPUT3));
      alignAndCheck(IMAGE3, c, d, new PriorAlignment(false, true));
    }
  }

  /**
   * The order: CSAlign's box is in unflipped coordinates, so it must cut the map after FlipAlign.
   * Cutting the same box from the still-flipped map and flipping afterwards takes the mirror-image
   * region of an off-centre overlap, and the views no longer meet.
   */
  @Test
  void theOverlapIsCutFromTheUnflippedMap() {
    // View 1 covers x in [0, 44.8), view 2 [30, 65.2): the overlap is the right end of view 1.
    List<ViewGeometry> first = List.of(view(new double[] {2, 2, 0}, scaled(INPUT3, 1.4), new boolean[] {false, false, true}, INPUT3));
    List<ViewGeometry> second = List.of(view(new double[] {2, 2, 30}, scaled(INPUT3, 1.1), new boolean[3], INPUT3));
    int[] image = {40, 50, 80};
    try (StepScope s = StepScope.open()) {
      alignAndCheck(image, first, second);
      Tensor f1 = coordinateFeatures(image, first);
      Tensor f2 = coordinateFeatures(image, second);
      long[] size = PriorAlignment.spatialSize(f1);
      PriorAlignment.Region r1 = PriorAlignment.overlapInFeatures(first.get(0), second.get(0), size);
      PriorAlignment.Region r2 = PriorAlignment.overlapInFeatures(second.get(0), first.get(0), size);
      Tensor wrongOrder = PriorAlignment.undoFlips(PriorAlignment.roiAlign(f1, List.of(r1), size), first);
      Tensor other = PriorAlignment.roiAlign(f2, List.of(r2), size);
      assertTrue(meanAbsDifference(wrongOrder, other) > 5, "the mirror-image region should not match");
    }
  }

  @Test
  void theOverlapMapsToFeatureCoordinatesAsInThePaper() {
    // 40 source voxels -> 32 input voxels -> 8 feature voxels: stride 4, 5 source voxels per feature voxel.
    ViewGeometry a = view(new double[] {0}, new double[] {40}, new boolean[] {true}, new int[] {32});
    ViewGeometry b = view(new double[] {20}, new double[] {40}, new boolean[] {false}, new int[] {32});
    PriorAlignment.Region inA = PriorAlignment.overlapInFeatures(a, b, new long[] {8});
    PriorAlignment.Region inB = PriorAlignment.overlapInFeatures(b, a, new long[] {8});
    assertArrayEquals(new double[] {4}, inA.start(), 1e-12); // [20, 40) is the second half of a (unflipped)
    assertArrayEquals(new double[] {8}, inA.end(), 1e-12);
    assertArrayEquals(new double[] {0}, inB.start(), 1e-12);
    assertArrayEquals(new double[] {4}, inB.end(), 1e-12);
  }

  @Test
  void gradientsReachBothFeatureMaps() {
    List<List<ViewGeometry>> views = everyFlipCombination3d();
    try (StepScope s = StepScope.open()) {
      Tensor f1 = coordinateFeatures(IMAGE3, views.get(0)).detach().requiresGrad(true);
      Tensor f2 = coordinateFeatures(IMAGE3, views.get(1)).detach().requiresGrad(true);
      PriorAlignment.Aligned a = PriorAlignment.both().align(f1, views.get(0), f2, views.get(1));
      a.first().mul(a.second()).sum().backward();
      assertNotNull(f1.grad());
      assertTrue(f1.grad().l2Norm() > 0 && f2.grad().l2Norm() > 0);
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static int alignAndCheck(int[] image, List<ViewGeometry> first, List<ViewGeometry> second) {
    return alignAndCheck(image, first, second, PriorAlignment.both());
  }

  /** Aligns coordinate features of the views and checks every bin of both; returns how many were exact. */
  private static int alignAndCheck(int[] image, List<ViewGeometry> first, List<ViewGeometry> second,
      PriorAlignment alignment) {
    try (StepScope s = StepScope.open()) {
      Tensor f1 = coordinateFeatures(image, first);
      Tensor f2 = coordinateFeatures(image, second);
      long[] size = PriorAlignment.spatialSize(f1);
      PriorAlignment.Aligned a = alignment.align(f1, first, f2, second);
      assertArrayEquals(f1.shape(), a.first().shape());
      assertArrayEquals(f1.shape(), a.second().shape());
      return checkView(a.first().toFloats(), first, second, size) + checkView(a.second().toFloats(), second, first, size);
    }
  }

  /**
   * Bin k of sample i, channel c must hold the source index coordinate along axis c of the bin's
   * centre in the overlap of the two crops (computed here from the boxes, independently of the
   * aligner).
   */
  private static int checkView(float[] aligned, List<ViewGeometry> views, List<ViewGeometry> others, long[] size) {
    int d = size.length;
    int bins = 1;
    for (long s : size) {
      bins *= (int) s;
    }
    int exact = 0;
    for (int i = 0; i < views.size(); i++) {
      ViewGeometry g = views.get(i);
      ViewGeometry o = others.get(i);
      for (int c = 0; c < d; c++) {
        double lo = Math.max(g.origin()[c], o.origin()[c]);
        double hi = Math.min(g.origin()[c] + g.size()[c], o.origin()[c] + o.size()[c]);
        double featureVoxel = g.size()[c] / size[c]; // source voxels per feature voxel
        for (int bin = 0; bin < bins; bin++) {
          int k = binIndex(bin, c, size);
          double centre = lo + (k + 0.5) * (hi - lo) / size[c]; // voxel-edge coordinate
          double expected = centre - 0.5; // index coordinate, what the ramp holds
          float got = aligned[(i * d + c) * bins + bin];
          double inMap = (centre - g.origin()[c]) / featureVoxel - 0.5; // feature index coordinate
          String where = "sample " + i + " axis " + c + " bin " + k + " of " + g + " with " + o;
          if (inMap >= 0 && inMap <= size[c] - 1) {
            assertEquals(expected, got, EXACT, where);
            exact++;
          } else {
            assertEquals(expected, got, featureVoxel / 2 + EXACT, where);
          }
        }
      }
    }
    return exact;
  }

  /** Index along axis c of row-major bin number {@code bin}. */
  private static int binIndex(int bin, int c, long[] size) {
    int rest = bin;
    for (int a = size.length - 1; a > c; a--) {
      rest /= (int) size[a];
    }
    return rest % (int) size[c];
  }

  private static final Map<String, DenseImage> RAMPS = new HashMap<>();

  /** Channel a = the source index coordinate along axis a, rendered into each view, pooled by the stride. */
  private static Tensor coordinateFeatures(int[] image, List<ViewGeometry> views) {
    int d = image.length;
    int[] out = views.get(0).outSize();
    int voxels = PretextBatch.volume(out);
    float[] all = new float[views.size() * d * voxels];
    for (int i = 0; i < views.size(); i++) {
      for (int a = 0; a < d; a++) {
        float[] v = views.get(i).render(ramp(image, a)).values();
        System.arraycopy(v, 0, all, (i * d + a) * voxels, voxels);
      }
    }
    long[] shape = new long[d + 2];
    shape[0] = views.size();
    shape[1] = d;
    for (int a = 0; a < d; a++) {
      shape[a + 2] = out[a];
    }
    return Tensor.of(all, shape).avgPool(STRIDE, STRIDE);
  }

  private static synchronized DenseImage ramp(int[] shape, int axis) {
    return RAMPS.computeIfAbsent(java.util.Arrays.toString(shape) + axis, k -> {
      int n = PretextBatch.volume(shape);
      float[] v = new float[n];
      int inner = 1;
      for (int a = shape.length - 1; a > axis; a--) {
        inner *= shape[a];
      }
      for (int i = 0; i < n; i++) {
        v[i] = (i / inner) % shape[axis];
      }
      return new DenseImage(v, shape);
    });
  }

  private static ViewGeometry view(double[] origin, double[] size, boolean[] flips, int[] out) {
    return new ViewGeometry(origin, size, flips, out);
  }

  private static double[] scaled(int[] input, double scale) {
    double[] s = new double[input.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = scale * input[i];
    }
    return s;
  }

  /** Flip axes from the bits of {@code m}: bit a flips axis a. */
  private static boolean[] mask(int m, int dims) {
    boolean[] f = new boolean[dims];
    for (int a = 0; a < dims; a++) {
      f[a] = (m >> a & 1) == 1;
    }
    return f;
  }

  private static double meanAbsDifference(PriorAlignment.Aligned a) {
    return meanAbsDifference(a.first(), a.second());
  }

  private static double meanAbsDifference(Tensor a, Tensor b) {
    return a.sub(b).abs().mean().item();
  }
}
