package org.medssl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medssl.augment.PatchAugmenter;
import org.medssl.augment.SliceAugmenter;
import org.medssl.image.MultiChannelVolume;
import org.medssl.image.Volume;

/**
 * Multi-channel subjects ({@code finetune --channel all}): every spatial operation of a sample is
 * the same for all its channels, so a second channel that is a linear function of the first stays
 * that function of it, voxel by voxel, through crops, flips, padding, zooms and rotations.
 */
class MultiChannelSamplingTest {

  /** {@code s} with a second channel 2 x + 1 of its image. */
  static Subject withLinearSecondChannel(Subject s) {
    float[] v = s.image().voxels();
    float[] second = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      second[i] = 2 * v[i] + 1;
    }
    Volume image = s.image();
    return new Subject(s.id(), new MultiChannelVolume(List.of(image, new Volume(image.grid(), second))), s.labels());
  }

  @Test
  void patchChannelsGoThroughTheSameCropFlipPaddingAndZoom() {
    Subject one = PatchSamplerTest.indexed(20, 14, 5, new int[] {5, 5, 1}, new int[] {12, 9, 4});
    Subject two = withLinearSecondChannel(one);
    PatchSize patch = new PatchSize(8, 6, 8); // deeper than the volume: padded
    PatchAugmenter zoomOnly = new PatchAugmenter(new PatchAugmenter.Ranges(0.7, 1.4, 1, 0, 0, 0.5, 1, 0, 0.75, 1.25, 0,
        0.7, 1.5, 0));
    for (PatchAugmenter augmenter : Arrays.asList(null, zoomOnly)) {
      Batch b = new PatchSampler(List.of(two), patch, PatchSampler.Flips.ALL, augmenter).sample(6, new SplittableRandom(3));
      assertArrayEquals(new long[] {6, 2, 8, 6, 8}, b.imageShape());
      assertSecondIsLinearInFirst(b, patch.voxels(), augmenter == null ? 0 : 1e-3f);
      // the first channel and the labels are what a single-channel sampler draws with the same generator
      Batch single = new PatchSampler(List.of(one), patch, PatchSampler.Flips.ALL, augmenter).sample(1,
          new SplittableRandom(3));
      Batch first = new PatchSampler(List.of(two), patch, PatchSampler.Flips.ALL, augmenter).sample(1,
          new SplittableRandom(3));
      assertArrayEquals(single.images(), Arrays.copyOf(first.images(), patch.voxels()));
      assertArrayEquals(single.labels(), first.labels());
    }
  }

  @Test
  void sliceChannelsGoThroughTheSameSpatialTransform() {
    Subject two = withLinearSecondChannel(PatchSamplerTest.indexed(12, 10, 3, new int[] {3, 3, 0}, new int[] {8, 7, 3}));
    SliceAugmenter.Ranges noIntensity = new SliceAugmenter.Ranges(0.85, 1.2, 15, false, 0.1, 0.75, 1.25, 0.1, 0.7, 1.5,
        0.1, 0);
    for (SliceAugmenter augmenter : Arrays.asList(null, new SliceAugmenter(noIntensity, 16, 16))) {
      Batch b = new SliceSampler(List.of(two), 2, 16, 16, augmenter).sample(5, new SplittableRandom(4));
      assertArrayEquals(new long[] {5, 2, 16, 16}, b.imageShape());
      assertSecondIsLinearInFirst(b, 16 * 16, 1e-2f);
    }
  }

  @Test
  void subjectsWithDifferentChannelCountsCannotBeMixed() {
    Subject one = PatchSamplerTest.indexed(8, 8, 4, new int[] {2, 2, 1}, new int[] {5, 5, 3});
    Subject two = withLinearSecondChannel(one);
    assertThrows(IllegalArgumentException.class, () -> new SliceSampler(List.of(two, one), 2, 8, 8, null));
    assertThrows(IllegalArgumentException.class,
        () -> new PatchSampler(List.of(two, one), new PatchSize(4, 4, 4), PatchSampler.Flips.NONE));
    assertThrows(IllegalStateException.class, two::image, "a one-channel path must not drop a channel silently");
  }

  private static void assertSecondIsLinearInFirst(Batch b, int voxels, float tolerance) {
    float[] x = b.images();
    for (int n = 0; n < b.n(); n++) {
      int first = n * 2 * voxels;
      for (int i = 0; i < voxels; i++) {
        float a = x[first + i];
        assertEquals(2 * a + 1, x[first + voxels + i], tolerance * Math.max(1, Math.abs(2 * a + 1)),
            "sample " + n + " voxel " + i);
      }
    }
  }
}
