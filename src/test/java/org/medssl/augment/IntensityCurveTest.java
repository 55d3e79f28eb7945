package org.medssl.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IntensityCurveTest {
  private static float[] ramp(int n, float lo, float hi) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = lo + (hi - lo) * i / (n - 1);
    }
    return v;
  }

  @Test
  void outputStaysInsideTheInputRange() {
    SplittableRandom rng = new SplittableRandom(1);
    float[] in = ramp(257, -2.5f, 3.75f);
    for (int trial = 0; trial < 200; trial++) {
      float[] out = IntensityCurve.sample(rng).apply(in);
      float lo = Float.POSITIVE_INFINITY;
      float hi = Float.NEGATIVE_INFINITY;
      for (float x : out) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
      assertTrue(lo >= -2.5f && hi <= 3.75f, lo + ".." + hi);
      assertTrue(hi - lo >= 0.5 * 6.25 - 1e-4, "the curve keeps at least half the range: " + (hi - lo));
    }
  }

  @Test
  void nonMonotoneAndInvertedCurvesOccur() {
    SplittableRandom rng = new SplittableRandom(2);
    int nonMonotone = 0;
    int inverted = 0;
    for (int trial = 0; trial < 400; trial++) {
      IntensityCurve c = IntensityCurve.sample(rng);
      nonMonotone += c.monotone() ? 0 : 1;
      inverted += c.at(1) < c.at(0) ? 1 : 0;
    }
    assertTrue(nonMonotone > 40, "non-monotone curves: " + nonMonotone);
    assertTrue(inverted > 150 && inverted < 250, "inverted curves: " + inverted);
    // A non-monotone curve really swaps the order of some intensities.
    IntensityCurve bump = new IntensityCurve(0.1, 1, 1, 0.2);
    assertTrue(!bump.monotone());
    float[] out = bump.apply(new float[] {0, 0.5f, 1});
    assertTrue(out[1] > out[0] && out[1] > out[2]);
  }

  @Test
  void sameSeedSameCurveAndIdentityIsExact() {
    assertEquals(IntensityCurve.sample(new SplittableRandom(7)), IntensityCurve.sample(new SplittableRandom(7)));
    assertNotEquals(IntensityCurve.sample(new SplittableRandom(7)), IntensityCurve.sample(new SplittableRandom(8)));
    float[] in = ramp(11, 0, 10);
    assertSame(in, IntensityCurve.IDENTITY.apply(in));
    IntensityCurve nearIdentity = new IntensityCurve(0, 1.0 / 3 + 1e-9, 2.0 / 3, 1);
    assertArrayEquals(in, nearIdentity.apply(in), 1e-5f);
  }

  @Test
  void probabilityZeroDrawsNothing() {
    SplittableRandom a = new SplittableRandom(3);
    SplittableRandom b = new SplittableRandom(3);
    assertSame(IntensityCurve.IDENTITY, IntensityCurve.sample(0, a));
    assertEquals(b.nextLong(), a.nextLong());
    int remapped = 0;
    SplittableRandom rng = new SplittableRandom(4);
    for (int i = 0; i < 1000; i++) {
      remapped += IntensityCurve.sample(0.5, rng).equals(IntensityCurve.IDENTITY) ? 0 : 1;
    }
    assertTrue(remapped > 430 && remapped < 570, "remapped with p 0.5: " + remapped);
  }

  @Test
  void viewsAreRemappedIndependentlyAndDeterministically() {
    Slice2d src = new Slice2d(ramp(64, 0, 1), null, 8, 8);
    ViewRecipe remapOnly = ViewRecipe.intensityOnly().withRemap(1.0);
    ViewRecipe noIntensity = new ViewRecipe(1, 1, 0, false, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1.0);
    ViewRecipe.View a = noIntensity.sample(src, 8, 8, new SplittableRandom(5));
    ViewRecipe.View b = noIntensity.sample(src, 8, 8, new SplittableRandom(5));
    assertArrayEquals(a.data().image(), b.data().image());
    SplittableRandom rng = new SplittableRandom(6);
    float[] first = noIntensity.sample(src, 8, 8, rng).data().image();
    float[] second = noIntensity.sample(src, 8, 8, rng).data().image();
    assertTrue(!java.util.Arrays.equals(first, second), "two views get two curves");
    assertEquals(1.0, remapOnly.remapProbability());

    PglViewRecipe pgl = PglViewRecipe.spatialOnly(new OverlappingCrops(1, 1, 0)).withFlips(false).withRemap(1.0);
    DenseImage vol = new DenseImage(ramp(4 * 8 * 8, 0, 1), new int[] {4, 8, 8});
    PglViewRecipe.View[] pair = pgl.samplePair(vol, new int[] {4, 8, 8}, new SplittableRandom(9));
    assertTrue(!java.util.Arrays.equals(pair[0].image().values(), pair[1].image().values()));
    for (PglViewRecipe.View v : pair) {
      assertTrue(v.image().min() >= 0 && v.image().max() <= 1);
      assertTrue(!java.util.Arrays.equals(vol.values(), v.image().values()), "the geometry is the identity, the curve is not");
    }
  }
}
