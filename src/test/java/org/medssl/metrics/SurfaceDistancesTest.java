package org.medssl.metrics;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.medssl.image.Grid;

class SurfaceDistancesTest {

  private static final double TOL = 1e-9;

  /** Directed distances and their summaries on the full grid, against SciPy. */
  @TestFactory
  List<DynamicTest> matchesScipyDirectedDistances() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : Fixtures.load("surface_distances.json").get("cases")) {
      JsonNode e = c.get("expected");
      if (!e.has("predToRef")) {
        continue; // empty-mask cases have no distances; see SegmentationMetricsTest
      }
      tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
        Grid grid = Fixtures.grid(c);
        SurfaceDistances s = SurfaceDistances.between(
            Fixtures.mask(c.get("pred"), grid), Fixtures.mask(c.get("ref"), grid), grid);
        assertAll(
            () -> assertArrayEquals(Fixtures.doubles(e.get("predToRef")), s.predToRefMm(), TOL),
            () -> assertArrayEquals(Fixtures.doubles(e.get("refToPred")), s.refToPredMm(), TOL),
            () -> assertEquals(e.get("hd").asDouble(), s.hdMm(), TOL),
            () -> assertEquals(e.get("hd95").asDouble(), s.hd95Mm(), TOL),
            () -> assertEquals(e.get("assd").asDouble(), s.assdMm(), TOL));
      }));
    }
    return tests;
  }

  /** The cropped per-class path, including the empty-mask cases, against SciPy on the full grid. */
  @TestFactory
  List<DynamicTest> croppedEvaluationMatchesScipy() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : Fixtures.load("surface_distances.json").get("cases")) {
      tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
        Grid grid = Fixtures.grid(c);
        JsonNode e = c.get("expected");
        ClassMetrics m = SegmentationMetrics.evaluateBinary(
            Fixtures.mask(c.get("pred"), grid), Fixtures.mask(c.get("ref"), grid), grid);
        assertAll(
            () -> assertEquals(new Confusion(e.get("tp").asLong(), e.get("fp").asLong(),
                e.get("fn").asLong(), e.get("tn").asLong()), m.confusion()),
            () -> assertEquals(e.get("dice").asDouble(), m.dice(), TOL),
            () -> assertEquals(e.get("iou").asDouble(), m.iou(), TOL),
            () -> assertEquals(Fixtures.nullableDouble(e.get("hd")), m.hdMm(), TOL),
            () -> assertEquals(Fixtures.nullableDouble(e.get("hd95")), m.hd95Mm(), TOL),
            () -> assertEquals(Fixtures.nullableDouble(e.get("assd")), m.assdMm(), TOL));
      }));
    }
    return tests;
  }

  @Test
  void anisotropicSpacingChangesDistances() {
    // two single voxels one slice apart: 1 mm apart isotropically, 2.5 mm with thick slices
    assertEquals(1.0, twoVoxelsOneSliceApart(Grid.of(4, 4, 4, 1, 1, 1)).hdMm(), 1e-12);
    SurfaceDistances thick = twoVoxelsOneSliceApart(Grid.of(4, 4, 4, 0.8, 1, 2.5));
    assertEquals(2.5, thick.hdMm(), 1e-12);
    assertEquals(2.5, thick.hd95Mm(), 1e-12);
    assertEquals(2.5, thick.assdMm(), 1e-12);
  }

  private static SurfaceDistances twoVoxelsOneSliceApart(Grid grid) {
    boolean[] pred = new boolean[grid.size()];
    boolean[] ref = new boolean[grid.size()];
    pred[grid.index(1, 1, 1)] = true;
    ref[grid.index(1, 1, 2)] = true;
    return SurfaceDistances.between(pred, ref, grid);
  }

  @Test
  void hd95IsTheLargerDirectedPercentileNotThePooledOne() {
    // 20 pred->ref distances 0..19 and one ref->pred distance 0
    double[] predToRef = new double[20];
    for (int i = 0; i < 20; i++) {
      predToRef[i] = i;
    }
    SurfaceDistances s = new SurfaceDistances(predToRef, new double[] {0});

    assertEquals(Percentile.linear(predToRef, 95), s.hd95Mm(), 0);
    assertTrue(s.hd95Mm() > Percentile.linear(append(predToRef, 0), 95));
    assertEquals(19, s.hdMm());
    assertEquals(190.0 / 21, s.assdMm(), 1e-12);
  }

  @Test
  void emptyMasksAreLeftToThePolicy() {
    Grid grid = Grid.of(3, 3, 3, 1, 1, 1);
    boolean[] empty = new boolean[grid.size()];
    boolean[] one = new boolean[grid.size()];
    one[0] = true;

    assertThrows(IllegalArgumentException.class, () -> SurfaceDistances.between(empty, one, grid));
  }

  private static double[] append(double[] values, double v) {
    double[] out = Arrays.copyOf(values, values.length + 1);
    out[values.length] = v;
    return out;
  }
}
