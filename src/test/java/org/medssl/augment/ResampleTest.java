package org.medssl.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ResampleTest {
  private final Slice2d ramp = new Slice2d(new float[] {0, 1, 2, 3, 4, 5}, new int[] {0, 0, 1, 1, 2, 2}, 2, 3);

  @Test
  void identityReproducesTheSlice() {
    Slice2d out = Resample.apply(ramp, SpatialParams.IDENTITY, 2, 3);
    assertArrayEquals(ramp.image(), out.image(), 1e-6f);
    assertArrayEquals(ramp.labels(), out.labels());
  }

  @Test
  void horizontalFlipMirrorsImageAndLabels() {
    Slice2d out = Resample.apply(ramp, new SpatialParams(1, 0, true, false, 0, 0), 2, 3);
    assertArrayEquals(new float[] {2, 1, 0, 5, 4, 3}, out.image(), 1e-6f);
    assertArrayEquals(new int[] {1, 0, 0, 2, 2, 1}, out.labels());
  }

  @Test
  void augmentationIsDeterministicForASeedAndKeepsLabelsIntegral() {
    SliceAugmenter aug = new SliceAugmenter(SliceAugmenter.Ranges.defaults(), 4, 4);
    Slice2d a = aug.augment(ramp, new SplittableRandom(3));
    Slice2d b = aug.augment(ramp, new SplittableRandom(3));
    assertArrayEquals(a.image(), b.image());
    assertArrayEquals(a.labels(), b.labels());
    assertEquals(16, a.labels().length);
    for (int v : a.labels()) {
      assertEquals(true, v >= 0 && v <= 2);
    }
  }
}
