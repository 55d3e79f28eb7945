package org.medssl.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medssl.data.Batch;
import org.medssl.data.PatchSampler;
import org.medssl.data.PatchSize;
import org.medssl.data.Subject;
import org.medssl.image.Grid;
import org.medssl.image.LabelMap;
import org.medssl.image.Volume;

class PatchAugmenterTest {
  private static final PatchAugmenter.Ranges ZOOM_ONLY =
      new PatchAugmenter.Ranges(0.7, 1.4, 1, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 0);

  /** A ball of label 1 and image value 100 in a volume of 0 (image = 100 x label). */
  private static Subject ball(int n, double radius) {
    Grid g = Grid.of(n, n, n, 1, 1, 1);
    float[] img = new float[g.size()];
    int[] lab = new int[g.size()];
    double c = (n - 1) / 2.0;
    for (int z = 0; z < n; z++) {
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          boolean in = Math.pow(x - c, 2) + Math.pow(y - c, 2) + Math.pow(z - c, 2) <= radius * radius;
          lab[g.index(x, y, z)] = in ? 1 : 0;
          img[g.index(x, y, z)] = in ? 100 : 0;
        }
      }
    }
    return new Subject("ball", new Volume(g, img), new LabelMap(g, lab));
  }

  @Test
  void anIdentityBoxReturnsThePatchAsItIs() {
    Subject s = ball(12, 4);
    DenseImage image = DenseImage.of(s.image());
    int[] shape = image.shape();
    PatchAugmenter.Patch p = PatchAugmenter.apply(image, s.labels().labels(),
        new CropBox(new double[] {0, 0, 0}, new double[] {12, 12, 12}), shape, 0, VoxelIntensity.IDENTITY);
    assertArrayEquals(s.image().voxels(), p.image().values());
    assertArrayEquals(s.labels().labels(), p.labels());
  }

  @Test
  void zoomedLabelsStayOnTheirImageVoxels() {
    Subject s = ball(24, 7);
    PatchSampler sampler = new PatchSampler(List.of(s), new PatchSize(12, 12, 12), PatchSampler.Flips.NONE,
        new PatchAugmenter(ZOOM_ONLY));
    Batch b = sampler.sample(60, new SplittableRandom(5));
    int foreground = 0;
    int partial = 0;
    for (int i = 0; i < b.images().length; i++) {
      float v = b.images()[i];
      long label = b.labels()[i];
      // Fully inside the ball the image reads 100, fully outside 0: the label must agree there.
      if (v >= 99.999f) {
        assertEquals(1, label, "voxel " + i + " reads the ball's inside but is labeled background");
        foreground++;
      } else if (v <= 0.001f) {
        assertEquals(0, label, "voxel " + i + " reads background but is labeled ball");
      } else {
        partial++;
      }
    }
    assertTrue(foreground > 1000, "the ball is seen: " + foreground);
    assertTrue(partial < b.images().length / 4, "only the rim is interpolated: " + partial);
  }

  @Test
  void drawsAreReproducibleAndChangeThePatch() {
    Subject s = ball(24, 7);
    PatchSize size = new PatchSize(8, 8, 8);
    PatchSampler plain = new PatchSampler(List.of(s), size, PatchSampler.Flips.NONE);
    PatchAugmenter.Ranges always = new PatchAugmenter.Ranges(0.7, 1.4, 1, 0.1, 1, 0.5, 1.0, 1, 0.75, 1.25, 1, 0.7,
        1.5, 1);
    PatchSampler augmented = new PatchSampler(List.of(s), size, PatchSampler.Flips.NONE, new PatchAugmenter(always));
    Batch a = augmented.sample(8, new SplittableRandom(3));
    assertArrayEquals(a.images(), augmented.sample(8, new SplittableRandom(3)).images(), "same seed, same batch");
    assertEquals(1.0, exactFraction(plain.sample(8, new SplittableRandom(3)).images()), "plain patches are copies");
    assertTrue(exactFraction(a.images()) < 0.01, "noise, blur, brightness and gamma change every voxel");
    for (float v : a.images()) {
      assertTrue(Float.isFinite(v));
    }
  }

  /** The fraction of voxels that still read exactly the ball's 0 or 100. */
  private static double exactFraction(float[] values) {
    int exact = 0;
    for (float v : values) {
      exact += v == 0 || v == 100 ? 1 : 0;
    }
    return exact / (double) values.length;
  }

  @Test
  void intensityDrawsFollowTheirProbabilities() {
    PatchAugmenter aug = new PatchAugmenter(PatchAugmenter.Ranges.defaults());
    SplittableRandom rng = new SplittableRandom(11);
    int noise = 0;
    int blur = 0;
    int gamma = 0;
    int n = 4000;
    for (int i = 0; i < n; i++) {
      VoxelIntensity v = aug.sampleIntensity(rng);
      noise += v.noiseStd() > 0 ? 1 : 0;
      blur += v.blurSigma() > 0 ? 1 : 0;
      gamma += v.gamma() != 1 ? 1 : 0;
      assertTrue(v.blurSigma() == 0 || v.blurSigma() >= 0.5 && v.blurSigma() <= 1.0);
      assertTrue(v.gamma() >= 0.7 && v.gamma() <= 1.5);
    }
    assertEquals(0.1, noise / (double) n, 0.02);
    assertEquals(0.2, blur / (double) n, 0.02);
    assertEquals(0.3, gamma / (double) n, 0.02);
    int zoomed = 0;
    for (int i = 0; i < n; i++) {
      CropBox box = aug.sampleBox(new double[] {10, 10, 10}, new int[] {8, 16, 16}, rng);
      double zoom = 8 / box.size()[0];
      assertTrue(zoom >= 0.7 && zoom <= 1.4, "zoom " + zoom);
      assertEquals(16 / zoom, box.size()[1], 1e-9, "one zoom for every axis");
      assertEquals(10, box.start(0) + box.size()[0] / 2, 1e-9, "centred");
      zoomed += zoom != 1 ? 1 : 0;
    }
    assertEquals(0.2, zoomed / (double) n, 0.02);
  }
}
