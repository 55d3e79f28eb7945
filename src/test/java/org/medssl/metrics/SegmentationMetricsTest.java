package org.medssl.metrics;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medssl.MedsslException;
import org.medssl.image.Grid;
import org.medssl.image.LabelMap;

class SegmentationMetricsTest {

  private static final Grid GRID = Grid.of(12, 10, 8, 0.8, 1.0, 2.5);

  @Test
  void perClassMetricsMatchScipyOnFullGrid() {
    JsonNode f = Fixtures.load("label_maps.json");
    Grid grid = Fixtures.grid(f);
    List<String> names = new ArrayList<>();
    f.get("classNames").forEach(n -> names.add(n.asText()));

    List<ClassMetrics> metrics = SegmentationMetrics.evaluate(
        new LabelMap(grid, Fixtures.ints(f.get("pred"))),
        new LabelMap(grid, Fixtures.ints(f.get("ref"))), names);

    assertEquals(4, metrics.size());
    for (int i = 0; i < metrics.size(); i++) {
      ClassMetrics m = metrics.get(i);
      JsonNode e = f.get("expected").get(i);
      assertAll(e.get("name").asText(),
          () -> assertEquals(e.get("name").asText(), m.className()),
          () -> assertEquals(e.get("label").asInt(), m.label()),
          () -> assertEquals(e.get("dice").asDouble(), m.dice(), 1e-9),
          () -> assertEquals(e.get("iou").asDouble(), m.iou(), 1e-9),
          () -> assertEquals(Fixtures.nullableDouble(e.get("hd")), m.hdMm(), 1e-9),
          () -> assertEquals(Fixtures.nullableDouble(e.get("hd95")), m.hd95Mm(), 1e-9),
          () -> assertEquals(Fixtures.nullableDouble(e.get("assd")), m.assdMm(), 1e-9),
          () -> assertEquals(e.get("predVoxels").asLong(), m.predVoxels()),
          () -> assertEquals(e.get("refVoxels").asLong(), m.refVoxels()));
    }
  }

  @Test
  void identicalMasksArePerfect() {
    boolean[] mask = SurfaceTest.box(GRID, 2, 7, 3, 6, 1, 5);

    ClassMetrics m = SegmentationMetrics.evaluateBinary(mask, mask.clone(), GRID);

    assertEquals(1.0, m.dice());
    assertEquals(1.0, m.iou());
    assertEquals(0.0, m.hdMm());
    assertEquals(0.0, m.hd95Mm());
    assertEquals(0.0, m.assdMm());
  }

  @Test
  void disjointMasksHaveZeroOverlapAndTheirGapAsDistance() {
    boolean[] pred = SurfaceTest.box(GRID, 0, 2, 0, 2, 0, 0);
    boolean[] ref = SurfaceTest.box(GRID, 5, 7, 0, 2, 0, 0);

    ClassMetrics m = SegmentationMetrics.evaluateBinary(pred, ref, GRID);

    assertEquals(0.0, m.dice());
    assertEquals(0.0, m.iou());
    // one-slice slabs, all voxels on the surface: columns 3, 4 and 5 voxels (of 0.8 mm) away
    assertEquals(4 * 0.8, m.assdMm(), 1e-12);
    assertEquals(5 * 0.8, m.hdMm(), 1e-12);
  }

  @Test
  void bothEmptyIsPerfectByPolicy() {
    boolean[] empty = new boolean[GRID.size()];

    ClassMetrics m = SegmentationMetrics.evaluateBinary(empty, empty, GRID);

    assertEquals(1.0, m.dice());
    assertEquals(1.0, m.iou());
    assertEquals(0.0, m.hdMm());
    assertEquals(0.0, m.hd95Mm());
    assertEquals(0.0, m.assdMm());
    assertFalse(m.distancesMissing());
  }

  @Test
  void oneEmptyHasZeroOverlapAndMissingDistances() {
    boolean[] empty = new boolean[GRID.size()];
    boolean[] cube = SurfaceTest.box(GRID, 2, 4, 2, 4, 2, 4);

    for (ClassMetrics m : List.of(
        SegmentationMetrics.evaluateBinary(empty, cube, GRID),
        SegmentationMetrics.evaluateBinary(cube, empty, GRID))) {
      assertEquals(0.0, m.dice());
      assertEquals(0.0, m.iou());
      assertTrue(Double.isNaN(m.hdMm()));
      assertTrue(Double.isNaN(m.hd95Mm()));
      assertTrue(Double.isNaN(m.assdMm()));
      assertTrue(m.distancesMissing());
    }
  }

  @Test
  void missingDistancesAreCountedInSummaries() {
    boolean[] empty = new boolean[GRID.size()];
    boolean[] cube = SurfaceTest.box(GRID, 2, 4, 2, 4, 2, 4);
    double[] hd = {
        SegmentationMetrics.evaluateBinary(cube, cube, GRID).hdMm(),
        SegmentationMetrics.evaluateBinary(empty, cube, GRID).hdMm()};

    Summary s = Summary.of(hd);

    assertEquals(1, s.n());
    assertEquals(1, s.missing());
  }

  @Test
  void policyIsDescribedInOneLine() {
    String text = EmptyMaskPolicy.STANDARD.describe();

    assertFalse(text.contains("\n"));
    assertTrue(text.contains("both empty -> Dice 1"), text);
    assertTrue(text.contains("missing"), text);
  }

  @Test
  void shapeMismatchNamesBothShapes() {
    LabelMap pred = new LabelMap(Grid.of(12, 10, 7, 0.8, 1, 2.5), new int[12 * 10 * 7]);
    LabelMap ref = new LabelMap(GRID, new int[GRID.size()]);

    MedsslException e = assertThrows(MedsslException.class,
        () -> SegmentationMetrics.evaluate(pred, ref, List.of("organ")));

    assertTrue(e.getMessage().contains("12x10x7"), e.getMessage());
    assertTrue(e.getMessage().contains("12x10x8"), e.getMessage());
  }

  @Test
  void spacingMismatchIsAnError() {
    LabelMap pred = new LabelMap(Grid.of(12, 10, 8, 0.8, 1, 3.0), new int[GRID.size()]);
    LabelMap ref = new LabelMap(GRID, new int[GRID.size()]);

    MedsslException e = assertThrows(MedsslException.class,
        () -> SegmentationMetrics.evaluate(pred, ref, List.of("organ")));

    assertTrue(e.getMessage().contains("spacing"), e.getMessage());
  }

  @Test
  void unnamedLabelIsAnError() {
    int[] labels = new int[GRID.size()];
    labels[5] = 3;

    MedsslException e = assertThrows(MedsslException.class, () -> SegmentationMetrics.evaluate(
        new LabelMap(GRID, labels), new LabelMap(GRID, new int[GRID.size()]), List.of("a", "b")));

    assertTrue(e.getMessage().contains("prediction contains label 3"), e.getMessage());
  }

  @Test
  void backgroundIsNotReported() {
    int[] labels = new int[GRID.size()];
    labels[5] = 1;
    LabelMap map = new LabelMap(GRID, labels);

    List<ClassMetrics> metrics = SegmentationMetrics.evaluate(map, map, List.of("organ"));

    assertEquals(1, metrics.size());
    assertEquals(1, metrics.get(0).label());
    assertEquals("organ", metrics.get(0).className());
  }

  /** A 96x96x32 volume with 4 classes must take well under 100 ms (the per-class box crop). */
  @Test
  void fourClassVolumeIsFast() {
    Grid grid = Grid.of(96, 96, 32, 0.8, 0.8, 2.5);
    LabelMap ref = new LabelMap(grid, phantom(grid, 0));
    LabelMap pred = new LabelMap(grid, phantom(grid, 2));
    List<String> names = List.of("a", "b", "c", "d");
    for (int i = 0; i < 5; i++) {
      SegmentationMetrics.evaluate(pred, ref, names); // JIT warm-up
    }
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      List<ClassMetrics> m = SegmentationMetrics.evaluate(pred, ref, names);
      best = Math.min(best, System.nanoTime() - t0);
      assertEquals(4, m.size());
      m.forEach(c -> assertTrue(c.hdMm() > 0 && c.dice() > 0.3, c.toString()));
    }
    assertTrue(best < 50_000_000L, "best of 5: " + best / 1e6 + " ms");
  }

  /** Four ellipsoid classes, shifted by {@code shift} voxels in x. */
  private static int[] phantom(Grid grid, int shift) {
    int[] labels = new int[grid.size()];
    double[][] centres = {{30, 30, 12}, {66, 30, 16}, {30, 66, 18}, {66, 66, 14}};
    double[][] radii = {{14, 10, 6}, {10, 14, 8}, {12, 12, 5}, {16, 9, 9}};
    for (int z = 0; z < grid.nz(); z++) {
      for (int y = 0; y < grid.ny(); y++) {
        for (int x = 0; x < grid.nx(); x++) {
          for (int c = 0; c < 4; c++) {
            double r = sq((x - shift - centres[c][0]) / radii[c][0])
                + sq((y - centres[c][1]) / radii[c][1]) + sq((z - centres[c][2]) / radii[c][2]);
            if (r <= 1) {
              labels[grid.index(x, y, z)] = c + 1;
            }
          }
        }
      }
    }
    return labels;
  }

  private static double sq(double v) {
    return v * v;
  }
}
