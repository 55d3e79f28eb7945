package org.medssl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medssl.MedsslException;
import org.medssl.image.Grid;
import org.medssl.image.LabelMap;
import org.medssl.image.Volume;

class PatchSamplerTest {

  /**
   * A subject whose image value is its voxel's flat index (exact in float for these sizes), so a
   * sampled value says where it came from; labels are 1 inside a box, else 0.
   */
  static Subject indexed(int nx, int ny, int nz, int[] boxFrom, int[] boxTo) {
    Grid g = Grid.of(nx, ny, nz, 1, 1, 2);
    float[] img = new float[g.size()];
    int[] lab = new int[g.size()];
    for (int z = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++) {
          int i = g.index(x, y, z);
          img[i] = i;
          boolean in = x >= boxFrom[0] && x < boxTo[0] && y >= boxFrom[1] && y < boxTo[1] && z >= boxFrom[2] && z < boxTo[2];
          lab[i] = in ? 1 : 0;
        }
      }
    }
    return new Subject("s", new Volume(g, img), new LabelMap(g, lab));
  }

  @Test
  void patchesHaveThePatchShapeAndAreBoxesOfTheVolumeWithTheirOwnLabels() {
    Subject s = indexed(20, 14, 9, new int[] {5, 5, 2}, new int[] {12, 9, 6});
    PatchSize patch = new PatchSize(4, 6, 8);
    for (var flips : List.of(PatchSampler.Flips.NONE, PatchSampler.Flips.ALL, new PatchSampler.Flips(false, true, false))) {
      Batch b = new PatchSampler(List.of(s), patch, flips).sample(40, new SplittableRandom(1));
      assertArrayEquals(new long[] {40, 1, 4, 6, 8}, b.imageShape());
      assertArrayEquals(new long[] {40, 4, 6, 8}, b.labelShape());
      boolean[] flipped = new boolean[3];
      for (int n = 0; n < 40; n++) {
        boolean[] f = checkIsABoxOfTheVolume(s, b, n, patch);
        for (int a = 0; a < 3; a++) {
          flipped[a] |= f[a];
        }
      }
      assertArrayEquals(new boolean[] {flips.depth(), flips.height(), flips.width()}, flipped,
          "axes seen flipped in 40 samples");
    }
  }

  /**
   * Every voxel of sample {@code n} comes from voxel (z0 ± k, y0 ± j, x0 ± i) of the subject, with
   * one sign per axis for the whole patch, and carries that voxel's label. Returns which axes
   * {d, h, w} are flipped.
   */
  private static boolean[] checkIsABoxOfTheVolume(Subject s, Batch b, int n, PatchSize p) {
    Grid g = s.image().grid();
    int voxels = p.voxels();
    int first = (int) b.images()[n * voxels];
    int x0 = first % g.nx();
    int y0 = first / g.nx() % g.ny();
    int z0 = first / (g.nx() * g.ny());
    int last = (int) b.images()[n * voxels + voxels - 1];
    int sx = Integer.signum(last % g.nx() - x0);
    int sy = Integer.signum(last / g.nx() % g.ny() - y0);
    int sz = Integer.signum(last / (g.nx() * g.ny()) - z0);
    for (int z = 0; z < p.depth(); z++) {
      for (int y = 0; y < p.height(); y++) {
        for (int x = 0; x < p.width(); x++) {
          int i = n * voxels + (z * p.height() + y) * p.width() + x;
          int src = g.index(x0 + sx * x, y0 + sy * y, z0 + sz * z);
          assertEquals(src, (int) b.images()[i], "sample " + n + " at " + z + "," + y + "," + x);
          assertEquals(s.labels().labels()[src], b.labels()[i], "label of sample " + n);
        }
      }
    }
    return new boolean[] {sz < 0, sy < 0, sx < 0};
  }

  @Test
  void aboutAThirdOfTheSamplesAreForcedOntoASmallForegroundAndRandomOnesRarelyHitIt() {
    // a 2x2x2 object in 48x48x48: a random 8^3 patch contains some of it with probability ~0.7 %
    Subject s = indexed(48, 48, 48, new int[] {30, 10, 20}, new int[] {32, 12, 22});
    Batch b = new PatchSampler(List.of(s), new PatchSize(8, 8, 8), PatchSampler.Flips.ALL).sample(3000, new SplittableRandom(7));
    int withForeground = 0;
    for (int n = 0; n < 3000; n++) {
      for (int i = n * 512; i < (n + 1) * 512; i++) {
        if (b.labels()[i] != 0) {
          withForeground++;
          break;
        }
      }
    }
    double fraction = withForeground / 3000.0;
    assertTrue(fraction > 0.31 && fraction < 0.37, "fraction with foreground " + fraction);
  }

  @Test
  void aVolumeSmallerThanThePatchIsPaddedInTheCentreWithItsMinimumAndBackground() {
    // 5 x 3 x 2 voxels (x, y, z), all labelled 1, into a 4 x 6 x 8 patch (d, h, w)
    Grid g = Grid.of(5, 3, 2, 1, 1, 1);
    float[] img = new float[g.size()];
    int[] lab = new int[g.size()];
    for (int i = 0; i < img.length; i++) {
      img[i] = 10 + i;
      lab[i] = 1;
    }
    Subject s = new Subject("small", new Volume(g, img), new LabelMap(g, lab));
    Batch b = new PatchSampler(List.of(s), new PatchSize(4, 6, 8), PatchSampler.Flips.NONE).sample(3, new SplittableRandom(3));
    for (int n = 0; n < 3; n++) {
      for (int z = 0; z < 4; z++) {
        for (int y = 0; y < 6; y++) {
          for (int x = 0; x < 8; x++) {
            int i = n * 192 + (z * 6 + y) * 8 + x;
            // centred: (4-2)/2 = 1 slice before, (6-3)/2 = 1 row before, (8-5)/2 = 1 column before
            boolean inside = z >= 1 && z < 3 && y >= 1 && y < 4 && x >= 1 && x < 6;
            float expected = inside ? 10 + g.index(x - 1, y - 1, z - 1) : 10;
            assertEquals(expected, b.images()[i], 0f, "image at " + z + "," + y + "," + x);
            assertEquals(inside ? 1 : 0, b.labels()[i], "label at " + z + "," + y + "," + x);
          }
        }
      }
    }
  }

  @Test
  void theSameGeneratorGivesTheSameBatch() {
    Subject s = indexed(16, 16, 8, new int[] {2, 2, 2}, new int[] {6, 6, 4});
    PatchSampler sampler = new PatchSampler(List.of(s), new PatchSize(4, 8, 8), PatchSampler.Flips.ALL);
    Batch a = sampler.sample(5, new SplittableRandom(11));
    Batch b = sampler.sample(5, new SplittableRandom(11));
    assertArrayEquals(a.images(), b.images());
    assertArrayEquals(a.labels(), b.labels());
  }

  @Test
  void patchSizesParseAndCheckTheDownsamplingFactor() {
    assertEquals(new PatchSize(32, 64, 64), PatchSize.parse("--patch", "32, 64,64"));
    assertEquals(new PatchSize(16, 48, 48), PatchSize.ofList(List.of(16, 48, 48)));
    assertEquals(null, PatchSize.ofList(List.of()), "2D configs list no patch");
    MedsslException notThree = org.junit.jupiter.api.Assertions.assertThrows(MedsslException.class,
        () -> PatchSize.parse("--patch", "32,64"));
    assertTrue(notThree.getMessage().startsWith("--patch: expected D,H,W"), notThree.getMessage());
    MedsslException odd = org.junit.jupiter.api.Assertions.assertThrows(MedsslException.class,
        () -> new PatchSize(30, 64, 64).requireDivisibleBy(8, "--patch"));
    assertEquals("--patch 30,64,64: every side must be a multiple of 8, the network's downsampling factor (e.g. 32,64,64)",
        odd.getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(MedsslException.class, () -> PatchSize.parse("--patch", "0,8,8"));
  }
}
