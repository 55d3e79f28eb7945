package org.medssl.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medssl.image.Grid;

class SurfaceTest {

  @Test
  void interiorOfCubeIsNotSurface() {
    Grid grid = Grid.of(5, 5, 5, 1, 1, 1);
    boolean[] cube = box(grid, 1, 3, 1, 3, 1, 3);

    boolean[] surface = Surface.of(cube, grid);

    assertEquals(26, count(surface));
    assertFalse(surface[grid.index(2, 2, 2)]);
  }

  @Test
  void imageBorderCountsAsBackground() {
    Grid grid = Grid.of(3, 3, 3, 1, 1, 1);
    boolean[] all = box(grid, 0, 2, 0, 2, 0, 2);

    boolean[] surface = Surface.of(all, grid);

    assertEquals(26, count(surface));
    assertFalse(surface[grid.index(1, 1, 1)]);
  }

  @Test
  void edgeVoxelsOfTheCrossAreInteriorWithSixConnectivity() {
    // a voxel whose six face neighbours are in the mask is interior even if a diagonal is not
    Grid grid = Grid.of(5, 5, 5, 1, 1, 1);
    boolean[] mask = box(grid, 1, 3, 1, 3, 1, 3);
    mask[grid.index(1, 1, 1)] = false;

    assertFalse(Surface.of(mask, grid)[grid.index(2, 2, 2)]);
  }

  @Test
  void singleSliceGridIsErodedIn2d() {
    Grid grid = Grid.of(5, 5, 1, 1, 1, 1);
    boolean[] square = box(grid, 1, 3, 1, 3, 0, 0);

    boolean[] surface = Surface.of(square, grid);

    assertEquals(8, count(surface));
    assertFalse(surface[grid.index(2, 2, 0)]);
  }

  @Test
  void oneSliceObjectInA3dVolumeIsAllSurface() {
    Grid grid = Grid.of(5, 5, 3, 1, 1, 1);
    boolean[] square = box(grid, 1, 3, 1, 3, 1, 1);

    assertTrue(Surface.of(square, grid)[grid.index(2, 2, 1)]);
    assertEquals(9, count(Surface.of(square, grid)));
  }

  static boolean[] box(Grid grid, int x0, int x1, int y0, int y1, int z0, int z1) {
    boolean[] m = new boolean[grid.size()];
    for (int z = z0; z <= z1; z++) {
      for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) {
          m[grid.index(x, y, z)] = true;
        }
      }
    }
    return m;
  }

  static int count(boolean[] mask) {
    int n = 0;
    for (boolean b : mask) {
      n += b ? 1 : 0;
    }
    return n;
  }
}
