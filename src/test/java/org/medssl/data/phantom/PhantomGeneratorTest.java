package org.medssl.data.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medssl.image.Grid;

class PhantomGeneratorTest {

  private static final PhantomGenerator GEN = new PhantomGenerator(PhantomConfig.defaults());

  @Test
  void sameSeedGivesIdenticalArrays() {
    PhantomSubject a = GEN.generate(42);
    PhantomSubject b = new PhantomGenerator(PhantomConfig.defaults()).generate(42);
    assertArrayEquals(a.image().voxels(), b.image().voxels());
    assertArrayEquals(a.labels().labels(), b.labels().labels());
    assertEquals(42, a.seed());
  }

  @Test
  void differentSeedsGiveDifferentSubjects() {
    PhantomSubject a = GEN.generate(1);
    PhantomSubject b = GEN.generate(2);
    assertFalse(Arrays.equals(a.image().voxels(), b.image().voxels()));
    assertFalse(Arrays.equals(a.labels().labels(), b.labels().labels()));
  }

  @Test
  void defaultGridAndLabelNames() {
    Grid g = GEN.generate(3).image().grid();
    assertEquals("96x96x32", g.shapeString());
    assertArrayEquals(new double[] {1.5, 1.5, 3.0}, g.spacingMm());
    assertEquals(List.of("background", "liver", "kidney", "spleen"), PhantomGenerator.labelNames());
  }

  @Test
  void everyOrganIsPresentWithPlausibleSizeInEachSubject() {
    // Voxel counts on the default grid (6.75 mm^3 per voxel); bounds are loose on purpose.
    int[][] bounds = {{0, 0}, {4000, 40000}, {800, 10000}, {400, 12000}};
    int[] minSlices = {0, 12, 8, 6};
    for (long seed = 100; seed < 110; seed++) {
      PhantomSubject s = GEN.generate(seed);
      int[] counts = new int[4];
      int[] slices = new int[4];
      countLabels(s, counts, slices);
      for (int label = 1; label <= 3; label++) {
        String what = "seed " + seed + " label " + label + " count " + counts[label];
        assertTrue(counts[label] >= bounds[label][0] && counts[label] <= bounds[label][1], what);
        assertTrue(slices[label] >= minSlices[label], what + " spans only " + slices[label] + " slices");
      }
      assertEquals(3, s.labels().maxLabel());
    }
  }

  @Test
  void contrastVariesBetweenSubjectsAndOrgansSwapOrder() {
    int n = 20;
    double[] liver = new double[n];
    int spleenBrighter = 0;
    for (int i = 0; i < n; i++) {
      PhantomSubject s = GEN.generate(200 + i);
      double[] means = labelMeans(s);
      // Relative to the whole body, so a global gain or bias does not count as contrast.
      liver[i] = means[1] / means[0];
      spleenBrighter += means[3] > means[1] ? 1 : 0;
    }
    double mean = Arrays.stream(liver).average().orElseThrow();
    double sd = Math.sqrt(Arrays.stream(liver).map(v -> (v - mean) * (v - mean)).sum() / n);
    assertTrue(sd / mean > 0.15, "liver/background contrast barely varies: cv " + sd / mean);
    assertTrue(spleenBrighter > 2 && spleenBrighter < n - 2,
        "liver and spleen should swap brightness order across subjects: " + spleenBrighter + "/" + n);
  }

  @Test
  void intensitiesAreMrLikeWithDarkNoisyAir() {
    PhantomSubject s = GEN.generate(5);
    float[] v = s.image().voxels();
    float min = Float.MAX_VALUE;
    float max = 0;
    for (float f : v) {
      min = Math.min(min, f);
      max = Math.max(max, f);
    }
    assertTrue(min >= 0, "magnitude images are non-negative: " + min);
    assertTrue(max < 3000, "max " + max);
    // The corner voxel is outside the body: only the Rayleigh noise floor.
    double corner = 0;
    int k = 0;
    for (int z = 0; z < 32; z++) {
      corner += s.image().get(0, 0, z) + s.image().get(1, 0, z);
      k += 2;
    }
    double organ = labelMeans(s)[1];
    assertTrue(corner / k > 1 && corner / k < 0.2 * organ, "air " + corner / k + " organ " + organ);
  }

  @Test
  void otherGridsKeepTheAnatomyInView() {
    PhantomConfig small = PhantomConfig.defaults().withGrid(Grid.of(48, 40, 12, 3.0, 3.6, 8.0));
    PhantomSubject s = new PhantomGenerator(small).generate(9);
    assertEquals("48x40x12", s.labels().grid().shapeString());
    int[] counts = new int[4];
    countLabels(s, counts, new int[4]);
    for (int label = 1; label <= 3; label++) {
      assertTrue(counts[label] > 20, "label " + label + ": " + counts[label]);
    }
  }

  @Test
  void generationIsFast() {
    GEN.generate(0); // warm up the JIT
    long start = System.nanoTime();
    int n = 5;
    for (int i = 0; i < n; i++) {
      GEN.generate(300 + i);
    }
    double seconds = (System.nanoTime() - start) / 1e9 / n;
    // Typically ~0.1 s; the bound is loose for a busy shared machine.
    assertTrue(seconds < 1.5, "one subject took " + seconds + " s");
  }

  @Test
  void configRejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> PhantomConfig.defaults().withNoiseSigma(-1));
    assertThrows(IllegalArgumentException.class, () -> PhantomConfig.defaults().withTextureStrength(2));
    assertThrows(IllegalArgumentException.class,
        () -> PhantomConfig.defaults().withGrid(Grid.of(4, 4, 1, 1, 1, 1)));
    assertThrows(IllegalArgumentException.class, () -> new PhantomGenerator(null));
  }

  private static void countLabels(PhantomSubject s, int[] counts, int[] slices) {
    Grid g = s.labels().grid();
    for (int z = 0; z < g.nz(); z++) {
      boolean[] seen = new boolean[4];
      for (int y = 0; y < g.ny(); y++) {
        for (int x = 0; x < g.nx(); x++) {
          int l = s.labels().get(x, y, z);
          counts[l]++;
          seen[l] = true;
        }
      }
      for (int l = 0; l < 4; l++) {
        slices[l] += seen[l] ? 1 : 0;
      }
    }
  }

  /** Mean intensity per label; index 0 holds the mean over voxels brighter than the air floor. */
  private static double[] labelMeans(PhantomSubject s) {
    double[] sum = new double[4];
    int[] n = new int[4];
    float[] v = s.image().voxels();
    int[] l = s.labels().labels();
    for (int i = 0; i < v.length; i++) {
      int k = l[i] == 0 ? (v[i] > 100 ? 0 : -1) : l[i];
      if (k >= 0) {
        sum[k] += v[i];
        n[k]++;
      }
    }
    for (int k = 0; k < 4; k++) {
      sum[k] /= Math.max(1, n[k]);
    }
    return sum;
  }
}
