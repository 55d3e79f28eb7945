package org.medssl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.medssl.image.Affine;
import org.medssl.image.Grid;
import org.medssl.image.LabelMap;
import org.medssl.image.Orientation;
import org.medssl.image.Volume;
import org.medssl.testkit.Reoriented;

/**
 * Scans stored with flipped, permuted and oblique axes: preprocessing brings them to the same
 * canonical grid as the plain scan (same network input, bit for bit), and a prediction made there
 * goes back onto each scan's own grid exactly.
 */
class PreprocessingRoundTripTest {
  static final int NX = 12;
  static final int NY = 10;
  static final int NZ = 6;
  static final double[] SPACING = {0.8, 0.9, 2.5};
  final Preprocessing pre = Preprocessing.mrDefault();

  @Test
  void flippedAndPermutedScansMeetOnTheCanonicalGrid() {
    Volume plain = randomScan(grid(Affine.ofSpacing(SPACING[0], SPACING[1], SPACING[2])));
    Volume prepared = pre.apply(plain);
    for (Volume scan : new Volume[] {Reoriented.flipX(plain), swapXy(plain), swapXy(Reoriented.flipX(plain))}) {
      String codes = Orientation.axisCodes(scan.grid().affine());
      Volume p = pre.apply(scan);
      assertTrue(p.grid().sameGeometry(prepared.grid()), codes + ": " + p.grid() + " vs " + prepared.grid());
      assertArrayEquals(prepared.voxels(), p.voxels(), codes + ": the same network input");

      LabelMap predicted = threshold(p);
      LabelMap back = pre.restore(predicted, scan.grid());
      assertEquals(scan.grid(), back.grid());
      assertArrayEquals(threshold(Preprocessing.legacy(0.5, 99.5, 2).apply(scan)).labels(), back.labels(),
          codes + ": the prediction lands on the scan's own voxels");
    }
  }

  @Test
  void labelsGoThereAndBackExactlyForEveryOrientation() {
    double t = Math.toRadians(25);
    double c = Math.cos(t);
    double s = Math.sin(t);
    Affine[] affines = {
        Affine.ofSpacing(-SPACING[0], -SPACING[1], SPACING[2]), // LPS, as DICOM converters write
        new Affine(new double[] {0, 0, SPACING[2], 5, -SPACING[0], 0, 0, 7, 0, SPACING[1], 0, -3, 0, 0, 0, 1}), // PSA
        new Affine(new double[] {c * SPACING[0], -s * SPACING[1], 0, 1, s * SPACING[0], c * SPACING[1], 0, 2, 0, 0,
            SPACING[2], 3, 0, 0, 0, 1}), // oblique, 25 degrees about z
        new Affine(new double[] {-c * SPACING[0], 0, s * SPACING[2], 1, 0, SPACING[1], 0, 2, s * SPACING[0], 0,
            c * SPACING[2], 3, 0, 0, 0, 1})}; // oblique and flipped
    for (Affine a : affines) {
      LabelMap labels = new LabelMap(grid(a), new SplittableRandom(3).ints(NX * NY * NZ, 0, 4).toArray());
      LabelMap canonical = pre.apply(labels);
      assertEquals("RAS", Orientation.axisCodes(canonical.grid().affine()), Orientation.axisCodes(a));
      LabelMap back = pre.restore(canonical, labels.grid());
      assertArrayEquals(labels.labels(), back.labels(), Orientation.axisCodes(a));
    }
  }

  @Test
  void resamplingInPlaneReproducesALinearRampAndKeepsTheSlices() {
    Grid g = grid(Affine.ofSpacing(1.5, 1.5, 3));
    float[] ramp = new float[g.size()];
    for (int k = 0; k < NZ; k++) {
      for (int j = 0; j < NY; j++) {
        for (int i = 0; i < NX; i++) {
          double[] w = g.affine().apply(i, j, k);
          ramp[g.index(i, j, k)] = (float) (2 * w[0] + 3 * w[1] - w[2]);
        }
      }
    }
    Preprocessing p = Preprocessing.legacy(0, 100, 2).withSpacing(new double[] {1, 1, 0});
    Grid target = p.targetGrid(g);
    assertEquals(18, target.nx());
    assertEquals(15, target.ny());
    assertEquals(NZ, target.nz(), "2D: the slice axis is not resampled");
    Volume r = org.medssl.image.Resampling.linear(new Volume(g, ramp), target, Float.NaN);
    for (int k = 0; k < NZ; k++) {
      for (int j = 1; j < target.ny() - 1; j++) {
        for (int i = 1; i < target.nx() - 1; i++) {
          double[] w = target.affine().apply(i, j, k);
          assertEquals(2 * w[0] + 3 * w[1] - w[2], r.get(i, j, k), 1e-3, i + "," + j + "," + k);
        }
      }
    }
  }

  @Test
  void volumetricPreprocessingResamplesTheSliceAxisToo() {
    Grid g = grid(Affine.ofSpacing(1.5, 1.5, 3));
    double[] mm = {1.5, 1.5, 1.5};
    assertEquals(NZ, Preprocessing.mrDefault().withSpacing(mm).targetGrid(g).nz(), "2D keeps the slices");
    Grid target = Preprocessing.mrDefault().forVolumes().withSpacing(mm).targetGrid(g);
    assertEquals(2 * NZ, target.nz(), "3D: z at 1.5 mm, shape = round(n x old / new spacing) as nnU-Net");
    assertEquals(1.5, target.spacingMm()[2], 1e-9);
  }

  private static Grid grid(Affine a) {
    double[] n = a.columnNorms();
    return new Grid(NX, NY, NZ, n, a);
  }

  private static Volume randomScan(Grid g) {
    return new Volume(g, toFloats(new SplittableRandom(9).doubles(g.size(), 0, 1000).toArray()));
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  private static LabelMap threshold(Volume v) {
    int[] out = new int[v.voxels().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.voxels()[i] > 0.3f ? 1 : 0;
    }
    return new LabelMap(v.grid(), out);
  }

  /** The same voxels in world space, stored with x and y swapped. */
  private static Volume swapXy(Volume v) {
    Grid g = v.grid();
    double[] m = g.affine().rowMajor();
    double[] f = m.clone();
    for (int r = 0; r < 3; r++) {
      f[r * 4] = m[r * 4 + 1];
      f[r * 4 + 1] = m[r * 4];
    }
    double[] sp = g.spacingMm();
    Grid out = new Grid(g.ny(), g.nx(), g.nz(), new double[] {sp[1], sp[0], sp[2]}, new Affine(f));
    return remap(v, out, i -> {
      int x = i % out.nx();
      int y = (i / out.nx()) % out.ny();
      int z = i / (out.nx() * out.ny());
      return g.index(y, x, z);
    });
  }

  /** out voxel i takes source voxel source(i). */
  private static Volume remap(Volume v, Grid out, IntUnaryOperator source) {
    float[] data = new float[out.size()];
    for (int i = 0; i < data.length; i++) {
      data[i] = v.voxels()[source.applyAsInt(i)];
    }
    return new Volume(out, data);
  }
}
