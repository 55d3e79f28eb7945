package org.medssl.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.medssl.image.Grid;

class DistanceTransformTest {

  @Test
  void matchesScipyOnRandomAnisotropicVolume() {
    JsonNode fixture = Fixtures.load("distance_transform.json");
    Grid grid = Fixtures.grid(fixture);
    boolean[] zeros = Fixtures.mask(fixture.get("zeros"), grid);

    double[] actual = DistanceTransform.distancesMm(zeros, grid);

    assertArrayEquals(Fixtures.doubles(fixture.get("expected")), actual, 1e-9);
  }

  @Test
  void singleFeatureGivesAnisotropicEuclideanDistance() {
    Grid grid = Grid.of(5, 4, 3, 0.5, 1.0, 3.0);
    boolean[] features = new boolean[grid.size()];
    features[grid.index(1, 2, 0)] = true;

    double[] d = DistanceTransform.distancesMm(features, grid);

    for (int z = 0; z < 3; z++) {
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 5; x++) {
          double expected = Math.sqrt(
              sq(0.5 * (x - 1)) + sq(1.0 * (y - 2)) + sq(3.0 * z));
          assertEquals(expected, d[grid.index(x, y, z)], 1e-12, x + "," + y + "," + z);
        }
      }
    }
  }

  @Test
  void noFeatureMeansInfinitelyFar() {
    Grid grid = Grid.of(3, 3, 2, 1, 1, 1);

    double[] d = DistanceTransform.distancesMm(new boolean[grid.size()], grid);

    for (double v : d) {
      assertTrue(Double.isInfinite(v));
    }
  }

  @Test
  void singleSliceGridWorksIn2d() {
    Grid grid = Grid.of(4, 3, 1, 2.0, 1.0, 9.0);
    boolean[] features = new boolean[grid.size()];
    features[grid.index(0, 0, 0)] = true;

    double[] d = DistanceTransform.distancesMm(features, grid);

    assertEquals(Math.sqrt(36 + 4), d[grid.index(3, 2, 0)], 1e-12);
  }

  private static double sq(double v) {
    return v * v;
  }
}
