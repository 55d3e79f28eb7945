package org.medssl.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ViewRecipeTest {
  /** A linear ramp: bilinear resampling reproduces it exactly, so pixels reveal their source point. */
  private static Slice2d ramp(int h, int w) {
    float[] v = new float[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        v[y * w + x] = x + 100 * y;
      }
    }
    return new Slice2d(v, null, h, w);
  }

  @Test
  void everyViewRecordsWhereItsPixelsCameFrom() {
    ViewRecipe spatialOnly = new ViewRecipe(0.2, 1.0, 0.5, true, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0);
    SplittableRandom rng = new SplittableRandom(11);
    Slice2d src = ramp(40, 48);
    int flips = 0;
    for (int trial = 0; trial < 20; trial++) {
      ViewRecipe.View v = spatialOnly.sample(src, 16, 16, rng);
      ViewGeometry g = v.geometry();
      double[] o = g.origin();
      double[] s0 = g.size();
      flips += g.flips()[1] ? 1 : 0;
      assertTrue(o[1] >= 0 && o[1] + s0[1] <= 48.0001 && o[0] >= 0 && o[0] + s0[0] <= 40.0001);
      double area = s0[1] * s0[0] / (40.0 * 48);
      assertTrue(area > 0.19 && area < 1.01, "area fraction " + area);
      for (int oy = 0; oy < 16; oy += 5) {
        for (int ox = 0; ox < 16; ox += 5) {
          double[] s = new double[2]; // {y, x}
          g.map().sourceOf(new int[] {oy, ox}, s);
          if (s[1] >= 0 && s[0] >= 0 && s[1] <= 47 && s[0] <= 39) {
            assertEquals(s[1] + 100 * s[0], v.data().image()[oy * 16 + ox], 1e-2);
          }
        }
      }
    }
    assertTrue(flips > 3 && flips < 17, "horizontal flips drawn with p 0.5: " + flips);
  }

  @Test
  void intensityOnlyViewsKeepTheIdentityGeometry() {
    ViewRecipe.View v = ViewRecipe.intensityOnly().sample(ramp(8, 8), 8, 8, new SplittableRandom(2));
    assertEquals(ViewGeometry.wholeSlice(8, 8), v.geometry());
  }

  @Test
  void withoutFlipsNoViewIsFlippedAndTheOtherDrawsStay() {
    for (ViewRecipe r : new ViewRecipe[] {ViewRecipe.byol(), ViewRecipe.globalContrastive(), ViewRecipe.mildSpatial()}) {
      SplittableRandom a = new SplittableRandom(12);
      SplittableRandom b = new SplittableRandom(12);
      for (int trial = 0; trial < 50; trial++) {
        ViewGeometry off = r.withFlips(false).sampleGeometry(40, 48, 16, 16, a);
        ViewGeometry on = r.sampleGeometry(40, 48, 16, 16, b);
        assertTrue(!off.flips()[0] && !off.flips()[1]);
        assertEquals(on.origin()[1], off.origin()[1]);
        assertEquals(on.size()[0], off.size()[0]);
      }
    }
    SplittableRandom rng = new SplittableRandom(13);
    for (int trial = 0; trial < 50; trial++) {
      for (ViewGeometry g : PglViewRecipe.paper().withFlips(false).sampleGeometries(new int[] {20, 20, 20},
          new int[] {8, 8, 8}, rng)) {
        for (boolean f : g.flips()) {
          assertTrue(!f);
        }
      }
    }
  }
}
