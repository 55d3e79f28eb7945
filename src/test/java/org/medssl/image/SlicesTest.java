package org.medssl.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SlicesTest {
  private final Grid g = Grid.of(4, 3, 2, 1, 1, 1);

  private LabelMap indexMap() {
    int[] v = new int[g.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    return new LabelMap(g, v);
  }

  @Test
  void sliceAlongZIsRowsOfYColumnsOfX() {
    assertArrayEquals(new int[] {3, 4}, Slices.sliceShape(g, 2));
    int[] s = Slices.slice(indexMap(), 2, 1);
    assertEquals(g.index(0, 0, 1), s[0]);
    assertEquals(g.index(1, 0, 1), s[1]);
    assertEquals(g.index(0, 1, 1), s[4]);
  }

  @Test
  void putUndoesSliceAlongEveryAxis() {
    LabelMap m = indexMap();
    for (int axis = 0; axis < 3; axis++) {
      int[] rebuilt = new int[g.size()];
      for (int i = 0; i < g.dim(axis); i++) {
        Slices.put(g, rebuilt, axis, i, Slices.slice(m, axis, i));
      }
      assertArrayEquals(m.labels(), rebuilt, "axis " + axis);
    }
  }

  @Test
  void cropPadRestoresTheOriginal() {
    int[] src = {1, 2, 3, 4, 5, 6};
    int[] padded = CropPad.apply(src, 2, 3, 4, 4);
    assertArrayEquals(src, CropPad.restore(padded, 2, 3, 4, 4));
    assertEquals(96, CropPad.roundUp(90, 16));
  }

  @Test
  void clipZScoreGivesZeroMeanUnitStd() {
    float[] v = new float[g.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = i * 3 + 7;
    }
    float[] z = Intensity.clipZScore(new Volume(g, v), 0, 100).voxels();
    double mean = 0;
    double sq = 0;
    for (float x : z) {
      mean += x;
      sq += x * x;
    }
    assertEquals(0, mean / z.length, 1e-5);
    assertEquals(1, sq / z.length, 1e-4);
    assertEquals(2.5f, Intensity.percentile(new float[] {4, 1, 3, 2}, 50), 1e-6f);
  }
}
