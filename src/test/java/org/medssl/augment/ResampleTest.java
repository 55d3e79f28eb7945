package org.medssl.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.testkit.Python;

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

  /** The oracle: PyTorch's interpolate(align_corners=False) resizing a whole slice and a whole volume. */
  @Test
  void resizingAWholeImageIsPyTorchsInterpolate(@TempDir Path dir) throws Exception {
    assumeTrue(Python.has("torch"), "python3-torch");
    DenseImage slice = gaussian(new int[] {7, 9}, 1);
    DenseImage volume = gaussian(new int[] {5, 6, 7}, 2);
    Python.writeFloats(dir.resolve("slice.bin"), slice.values());
    Python.writeFloats(dir.resolve("volume.bin"), volume.values());
    Python.run(dir, """
        import numpy as np, torch, torch.nn.functional as F
        def resize(name, shape, out, mode):
            x = torch.from_numpy(np.fromfile(name + '.bin', '<f4').reshape((1, 1) + shape))
            y = F.interpolate(x, size=out, mode=mode, align_corners=False)
            y.numpy().astype('<f4').tofile(name + '.torch.bin')
        resize('slice', (7, 9), (12, 5), 'bilinear')
        resize('volume', (5, 6, 7), (8, 4, 9), 'trilinear')
        """);
    assertArrayEquals(Python.readFloats(dir.resolve("slice.torch.bin")), whole(slice, new int[] {12, 5}), 1e-5f);
    assertArrayEquals(Python.readFloats(dir.resolve("volume.torch.bin")), whole(volume, new int[] {8, 4, 9}), 1e-5f);
  }

  /** Crops, resizes and flips take a shortcut through per-axis taps; it must change no value. */
  @Test
  void axisAlignedMapsGiveWhatTheGeneralPathGives() {
    DenseImage volume = gaussian(new int[] {6, 9, 11}, 3);
    ViewGeometry g = new ViewGeometry(new double[] {-1.7, 2.2, 3.1}, new double[] {8.3, 5.9, 9.4},
        new boolean[] {true, false, true}, new int[] {5, 8, 13}); // sticks out low and high
    SourceMap general = (out, source) -> g.map().sourceOf(out, source);
    assertArrayEquals(Resample.linear(volume, general, g.outSize(), -9).values(),
        Resample.linear(volume, g.map(), g.outSize(), -9).values());
    int[] labels = new int[6 * 9 * 11];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 5;
    }
    assertArrayEquals(Resample.nearest(labels, volume.shape(), general, g.outSize()),
        Resample.nearest(labels, volume.shape(), g.map(), g.outSize()));
  }

  /** The shortcut reads only the source rows and planes a crop needs, and nothing when it lies beyond. */
  @Test
  void axisAlignedMapsInsideAndBeyondTheImageGiveWhatTheGeneralPathGives() {
    DenseImage volume = gaussian(new int[] {7, 10, 12}, 6);
    ViewGeometry inner = new ViewGeometry(new double[] {2.3, 3.1, 4.4}, new double[] {2.9, 4.2, 5.1},
        new boolean[] {false, true, false}, new int[] {6, 9, 4}); // reads planes 2-5 and rows 2-7 only
    ViewGeometry beyond = new ViewGeometry(new double[] {1, 11, 2}, new double[] {4, 3, 5},
        new boolean[] {false, false, false}, new int[] {3, 2, 4}); // every row past the image: all fill
    int[] labels = new int[7 * 10 * 12];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = 1 + i % 4;
    }
    ViewGeometry beforeInDepth = new ViewGeometry(new double[] {-9, 1, 2}, new double[] {3, 5, 5},
        new boolean[] {false, false, false}, new int[] {3, 2, 4}); // no plane inside
    ViewGeometry pastInWidth = new ViewGeometry(new double[] {1, 1, 13}, new double[] {3, 5, 5},
        new boolean[] {false, false, true}, new int[] {3, 2, 4}); // no column inside
    for (ViewGeometry g : List.of(inner, beyond, beforeInDepth, pastInWidth)) {
      SourceMap general = (out, source) -> g.map().sourceOf(out, source);
      assertArrayEquals(Resample.linear(volume, general, g.outSize(), -9).values(),
          Resample.linear(volume, g.map(), g.outSize(), -9).values());
      assertArrayEquals(Resample.nearest(labels, volume.shape(), general, g.outSize()),
          Resample.nearest(labels, volume.shape(), g.map(), g.outSize()));
    }
    assertArrayEquals(new int[3 * 2 * 4], Resample.nearest(labels, volume.shape(), beyond.map(), beyond.outSize()));
    float[] fill = new float[3 * 2 * 4];
    java.util.Arrays.fill(fill, -9);
    for (ViewGeometry g : List.of(beyond, beforeInDepth, pastInWidth)) {
      assertArrayEquals(fill, Resample.linear(volume, g.map(), g.outSize(), -9).values());
    }
  }

  @Test
  void axisAlignedSliceMapsGiveWhatTheGeneralPathGives() {
    DenseImage slice = gaussian(new int[] {9, 11}, 5);
    ViewGeometry g = new ViewGeometry(new double[] {-1.2, 2.6}, new double[] {10.4, 7.3}, new boolean[] {false, true},
        new int[] {7, 12});
    SourceMap general = (out, source) -> g.map().sourceOf(out, source);
    assertArrayEquals(Resample.linear(slice, general, g.outSize(), -9).values(),
        Resample.linear(slice, g.map(), g.outSize(), -9).values());
  }

  @Test
  void aSliceIsAVolumeOfDepthOne() {
    DenseImage slice = gaussian(new int[] {10, 12}, 4);
    DenseImage asVolume = new DenseImage(slice.values(), new int[] {1, 10, 12});
    ViewGeometry g2 = new ViewGeometry(new double[] {1.3, -0.6}, new double[] {7.7, 12.9}, new boolean[] {false, true},
        new int[] {6, 15});
    ViewGeometry g3 = new ViewGeometry(new double[] {0, 1.3, -0.6}, new double[] {1, 7.7, 12.9},
        new boolean[] {false, false, true}, new int[] {1, 6, 15});
    assertArrayEquals(g2.render(slice).values(), g3.render(asVolume).values());
  }

  private static float[] whole(DenseImage image, int[] out) {
    int[] shape = image.shape();
    double[] origin = new double[shape.length];
    double[] size = new double[shape.length];
    for (int a = 0; a < shape.length; a++) {
      size[a] = shape[a];
    }
    return new ViewGeometry(origin, size, new boolean[shape.length], out).render(image).values();
  }

  private static DenseImage gaussian(int[] shape, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    return new DenseImage(v, shape);
  }
}
