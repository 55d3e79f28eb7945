package org.medssl.study.plan;

import org.medssl.study.config.StudyYamlTest;
import org.medssl.study.config.InitSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medssl.MedsslException;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.tensor.Precision;

class StudyPlanTest {
  /** 16 training subjects (2 held out for validation: pool 14) and 8 test subjects; no files needed. */
  static DatasetSpec spec() {
    List<DatasetSpec.Case> training = new ArrayList<>();
    List<DatasetSpec.Case> test = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      DatasetSpec.Case c = new DatasetSpec.Case(String.format("s%02d", i), Path.of("i" + i), Path.of("l" + i));
      (i < 16 ? training : test).add(c);
    }
    return new DatasetSpec(Path.of("/d"), "t", "MRI", List.of("background", "a", "b"), training, test, List.of());
  }

  static StudyPlan plan(String yaml) {
    return StudyPlan.of(StudyYamlTest.parse("dataset: {phantom: {}}\n" + yaml), Path.of("/d"), spec(), Precision.FP32);
  }

  @Test
  void budgetsCountSubjectsNotScans() {
    // 8 patients with two labeled frames each: the pool is 8 - 2 validation patients, not 16 - 2 scans.
    List<DatasetSpec.Case> training = new ArrayList<>();
    for (int p = 0; p < 8; p++) {
      for (int frame : new int[] {1, 12}) {
        String id = String.format("patient%03d_frame%02d", p, frame);
        training.add(new DatasetSpec.Case(id, Path.of(id), Path.of(id + "_gt"), String.format("patient%03d", p),
            DatasetSpec.Case.WHOLE_FILE));
      }
    }
    DatasetSpec acdc = new DatasetSpec(Path.of("/a"), "acdc", "MRI", List.of("background", "RV"), training,
        List.of(new DatasetSpec.Case("t", Path.of("t"), Path.of("tl"))), List.of());
    StudyPlan p = StudyPlan.of(StudyYamlTest.parse("dataset: {phantom: {}}\ninits: [random]\nlabeled: [1, 1.0]\n"
        + "seeds: [0]\n"), Path.of("/a"), acdc, Precision.FP32);
    assertEquals(6, p.pool());
    assertEquals(List.of(1, 6), p.budgets());
  }

  @Test
  void aThreeDimensionalStudyWithASliceSpacingHasItsOwnFingerprint() {
    String grid = "inits: [random]\nlabeled: [1]\nseeds: [0]\n";
    String net3d = "finetune: {dims: 3, channels: [8, 16, 32], patch: [16, 32, 32]}\n";
    Cell cell = new Cell("random", 1, 0);
    String zSpacing = StudyPlan.of(StudyYamlTest.parse("dataset: {phantom: {}, spacing: [1.5, 1.5, 3]}\n" + grid + net3d),
        Path.of("/d"), spec(), Precision.FP32).describe(cell);
    assertTrue(zSpacing.contains(",zResampled;"), "3D cells from before z was resampled are not reused: " + zSpacing);
    String inPlane = StudyPlan.of(StudyYamlTest.parse("dataset: {phantom: {}, spacing: [1.5, 1.5]}\n" + grid + net3d),
        Path.of("/d"), spec(), Precision.FP32).describe(cell);
    assertTrue(!inPlane.contains("zResampled"), inPlane);
    String twoD = StudyPlan.of(StudyYamlTest.parse("dataset: {phantom: {}, spacing: [1.5, 1.5, 3]}\n" + grid),
        Path.of("/d"), spec(), Precision.FP32).describe(cell);
    assertTrue(!twoD.contains("zResampled"), "2D keeps the slices, and its fingerprint: " + twoD);
  }

  @Test
  void gridIsInitsTimesBudgetsTimesSeedsPlusTheReference() {
    StudyPlan p = plan("inits: [random, {name: byol, method: byol, lengths: [100]}, {name: bb, method: byol, from: byol}]\n"
        + "labeled: [1, 2, 4]\nseeds: [0, 1]\n");
    assertEquals(14, p.pool());
    assertEquals(List.of("random", "byol@100", "byol", "bb", InitSpec.REFERENCE), p.methods());
    assertEquals(4 * 3 * 2 + 2, p.cells().size());
    assertEquals(new Cell("random", 1, 0), p.cells().get(0));
    assertEquals(new Cell(InitSpec.REFERENCE, 14, 1), p.cells().get(p.cells().size() - 1));
    assertEquals("byol@100-n4-s1", new Cell("byol@100", 4, 1).key());
    assertEquals(List.of("byol", "bb"), p.chain("bb").stream().map(Pretraining::label).toList());
    assertEquals(100, p.pretrainings().get("byol@100").steps());
    assertTrue(p.keepsModel(new Cell("bb", 1, 0)));
    assertTrue(p.keepsModel(new Cell(InitSpec.REFERENCE, 14, 0)));
    assertTrue(!p.keepsModel(new Cell("bb", 2, 0)) && !p.keepsModel(new Cell("bb", 1, 1)));
  }

  @Test
  void fourValidationSubjectsOfTheDemosPhantoms() {
    // The demo's 24 phantoms: 16 training (4 held out for validation: pool 12) and 8 test.
    StudyPlan p = plan("inits: [random]\nlabeled: [1, 2, 4]\nseeds: [0, 1]\nfinetune: {validation: 4}\n");
    assertEquals(12, p.pool());
    assertEquals(List.of(1, 2, 4), p.budgets());
    assertEquals(new Cell(InitSpec.REFERENCE, 12, 1), p.cells().get(p.cells().size() - 1));
    assertTrue(p.describe(p.cells().get(0)).contains("validation=4"));
  }

  @Test
  void fourValidationSubjectsOfTheGeneratedDemoPhantoms(@org.junit.jupiter.api.io.TempDir Path dir) {
    var written = org.medssl.data.phantom.PhantomDataset.write(dir, 24, 0, 1);
    assertEquals(16, written.training());
    assertEquals(8, written.test());
    DatasetSpec spec = org.medssl.io.dataset.DatasetLayouts.open(dir);
    StudyPlan p = StudyPlan.of(StudyYamlTest.parse("dataset: {phantom: {}}\ninits: [random]\nlabeled: [1, 2, 4]\n"
        + "seeds: [0]\nfinetune: {validation: 4}\n"), dir, spec, Precision.FP32);
    assertEquals(12, p.pool());
    var split = org.medssl.data.Splits.of(spec, 4);
    assertEquals(4, split.validation().size(), "the fine-tuning holds out the same 4 subjects");
    assertTrue(split.pool().stream().noneMatch(split.validation()::contains));
  }

  @Test
  void fractionsResolveAgainstThePool() {
    StudyPlan p = plan("inits: [random]\nlabeled: [0.2, 0.5, 1.0, 0.01]\nseeds: [0]\n");
    assertEquals(List.of(1, 3, 7, 14), p.budgets(), "0.2 x 14 = 2.8 -> 3; 0.01 still one subject");
  }

  @Test
  void aBudgetLargerThanThePoolIsAnError() {
    MedsslException e = assertThrows(MedsslException.class, () -> plan("inits: [random]\nlabeled: [1, 15]\nseeds: [0]\n"));
    assertTrue(e.getMessage().contains("15 is larger than the pool of 14"), e.getMessage());
  }

  @Test
  void changingAParentChangesTheChildsFingerprint() {
    String tail = "labeled: [1]\nseeds: [0]\n";
    StudyPlan a = plan("inits: [{name: byol, method: byol, steps: 100}, {name: bb, method: byol, from: byol}]\n" + tail);
    StudyPlan b = plan("inits: [{name: byol, method: byol, steps: 200}, {name: bb, method: byol, from: byol}]\n" + tail);
    Cell cell = new Cell("bb", 1, 0);
    assertNotEquals(a.pretrainings().get("bb").fingerprint(), b.pretrainings().get("bb").fingerprint());
    assertNotEquals(Fingerprint.of(a.describe(cell)), Fingerprint.of(b.describe(cell)));
    StudyPlan again = plan("inits: [{name: byol, method: byol, steps: 100}, {name: bb, method: byol, from: byol}]\n"
        + "labeled: [1, 2]\nseeds: [0, 5]\n");
    assertEquals(Fingerprint.of(a.describe(cell)), Fingerprint.of(again.describe(cell)),
        "adding budgets or seeds keeps the finished cells valid");
  }
}
