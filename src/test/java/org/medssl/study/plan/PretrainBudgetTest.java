package org.medssl.study.plan;

import org.medssl.study.config.StudyYamlTest;
import org.medssl.study.config.InitSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.MedsslException;
import org.medssl.data.DatasetLoader;
import org.medssl.data.Preprocessing;
import org.medssl.data.PretrainImages;
import org.medssl.data.phantom.PhantomDataset;
import org.medssl.io.dataset.DatasetLayouts;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.nn.Dims;
import org.medssl.ssl.PretrainJob;
import org.medssl.tensor.Precision;

/** Pretraining budgets in epochs of the pool, and pretraining seeds. */
class PretrainBudgetTest {
  static StudyPlan plan(String yaml, int pretrainPool) {
    return StudyPlan.of(StudyYamlTest.parse("dataset: {phantom: {}}\n" + yaml), Path.of("/d"), StudyPlanTest.spec(),
        Precision.FP32, () -> pretrainPool);
  }

  @Test
  void epochsResolveToStepsOfThePoolAndDescribeLikeThoseSteps() {
    String tail = "inits: [random, {name: byol, method: byol, lengths: [5]}]\nlabeled: [1]\nseeds: [0]\n";
    StudyPlan e = plan("pretraining: {epochs: 20, batch: 8}\n" + tail, 100);
    Pretraining byol = e.pretrainings().get("byol");
    assertEquals(20 * 13, byol.steps(), "an epoch of 100 slices at batch 8 is 13 steps (rounded up)");
    assertEquals(5 * 13, e.pretrainings().get("byol@5").steps(), "lengths are in epochs too");
    assertEquals("20 epochs of 100 slices at batch 8 = 260 steps (13 per epoch)", byol.budget());
    assertTrue(byol.description().contains("steps=260,batch=8,seed=0,") && byol.description().contains("tau=0.9644"),
        byol.description());
    StudyPlan s = plan("pretraining: {steps: 260, batch: 8}\n" + tail.replace("[5]", "[65]"), 100);
    assertEquals(s.pretrainings().get("byol").fingerprint(), byol.fingerprint(), "the same run as in steps");
    assertEquals("260 steps", s.pretrainings().get("byol").budget());
    assertEquals(260, e.pretrainingSteps("byol"));
  }

  @Test
  void thePoolIsOnlyCountedForEpochs() {
    StudyPlan p = StudyPlan.of(StudyYamlTest.parse("dataset: {phantom: {}}\npretraining: {steps: 7}\ninits: [byol]\n"
        + "labeled: [1]\nseeds: [0]\n"), Path.of("/d"), StudyPlanTest.spec(), Precision.FP32,
        () -> { throw new AssertionError("no files to read"); });
    assertEquals(7, p.pretrainings().get("byol").steps());
  }

  @Test
  void aPerInitBudgetReplacesTheSharedOne() {
    StudyPlan p = plan("pretraining: {epochs: 2, batch: 10}\ninits: [{name: a, method: byol, steps: 7}, "
        + "{name: b, method: denoise}]\nlabeled: [1]\nseeds: [0]\n", 95);
    assertEquals(7, p.pretrainings().get("a").steps());
    assertEquals(20, p.pretrainings().get("b").steps());
  }

  @Test
  void severalPretrainingSeedsPretrainEachInitOncePerSeed() {
    StudyPlan p = plan("pretraining: {steps: 10, seeds: [0, 1, 2]}\ninits: [random, byol, {name: bb, method: byol,"
        + " from: byol}]\nlabeled: [1]\nseeds: [0, 1, 2, 3]\n", 0);
    assertEquals(List.of("byol~s0", "byol~s1", "byol~s2", "bb~s0", "bb~s1", "bb~s2"),
        List.copyOf(p.pretrainings().keySet()));
    assertEquals("byol~s1", p.pretrainingOf(new Cell("byol", 1, 1)));
    assertEquals("byol~s0", p.pretrainingOf(new Cell("byol", 1, 3)), "fine-tune seed 3 mod 3");
    assertNull(p.pretrainingOf(new Cell("random", 1, 0)));
    assertNull(p.pretrainingOf(new Cell(InitSpec.REFERENCE, 14, 0)));
    assertEquals(List.of("byol~s2", "bb~s2"), p.chain("bb~s2").stream().map(Pretraining::label).toList());
    assertEquals(2, p.pretrainings().get("bb~s2").seed());
    assertNotEquals(p.pretrainings().get("byol~s0").fingerprint(), p.pretrainings().get("byol~s1").fingerprint());
    assertTrue(p.describe(new Cell("byol", 1, 1)).contains("seed=1,"), "a cell's init names its pretraining seed");
    assertEquals(p.describe(new Cell("byol", 1, 0)).replace(";seed=0", ""),
        p.describe(new Cell("byol", 1, 3)).replace(";seed=3", ""), "seeds 0 and 3 share pretraining seed 0");
  }

  @Test
  void aRunOfSomeSeedsStartsEachFromThePretrainingTheFullRunGivesIt() {
    String inits = "pretraining: {steps: 10, seeds: [0, 1, 2]}\ninits: [random, byol]\nlabeled: [1]\n";
    StudyPlan full = plan(inits + "seeds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n", 0);
    StudyPlan some = plan(inits + "seeds: [0, 3, 6, 9]\n", 0);
    for (long seed : new long[] {0, 3, 6, 9}) {
      Cell cell = new Cell("byol", 1, seed);
      assertEquals("byol~s0", some.pretrainingOf(cell), "seed " + seed);
      assertEquals(full.describe(cell), some.describe(cell), "the cells pair across the two runs");
    }
  }

  @Test
  void oneSeedKeepsTheLabelsAndDescriptionsOfBefore() {
    String tail = "inits: [byol, {name: bb, method: byol, from: byol}]\nlabeled: [1]\nseeds: [0, 1]\n";
    StudyPlan one = plan("pretraining: {steps: 10, seed: 4}\n" + tail, 0);
    StudyPlan list = plan("pretraining: {steps: 10, seeds: [4]}\n" + tail, 0);
    assertEquals(List.of("byol", "bb"), List.copyOf(one.pretrainings().keySet()));
    assertEquals(one.pretrainings(), list.pretrainings());
    assertTrue(one.pretrainings().get("bb").description().startsWith("method=byol;steps=10,batch=16,seed=4,"));
    assertEquals("bb", one.pretrainingOf(new Cell("bb", 1, 1)));
  }

  @Test
  void aChildWithMoreSeedsThanItsParentCyclesThroughTheParents() {
    StudyPlan p = plan("inits: [{name: byol, method: byol, steps: 5}, {name: bb, method: byol, from: byol, steps: 5,"
        + " seeds: [7, 8]}]\nlabeled: [1]\nseeds: [0]\n", 0);
    assertEquals("byol", p.pretrainings().get("bb~s7").parent());
    assertEquals("byol", p.pretrainings().get("bb~s8").parent());
  }

  @Test
  void badBudgetsAndSeedsAreErrors() {
    String tail = "inits: [byol]\nlabeled: [1]\nseeds: [0]\n";
    assertError("give one of 'steps' or 'epochs'", "pretraining: {steps: 3, epochs: 2}\n" + tail);
    assertError("give one of 'seed' or 'seeds'", "pretraining: {seed: 3, seeds: [1]}\n" + tail);
    assertError("each once", "pretraining: {seeds: [1, 1]}\n" + tail);
    assertError("each once", "pretraining: {seeds: []}\n" + tail);
    assertError("exactly one of steps >= 1 or epochs >= 1", "pretraining: {epochs: 0}\n" + tail);
    assertError("lengths must increase and lie in [1, epochs) (epochs 4)",
        "pretraining: {epochs: 4}\ninits: [{method: byol, lengths: [4]}]\nlabeled: [1]\nseeds: [0]\n");
    assertError("pretraining.epoch: unknown key", "pretraining: {epoch: 4}\n" + tail);
  }

  private static void assertError(String part, String yaml) {
    MedsslException e = assertThrows(MedsslException.class, () -> StudyYamlTest.parse("dataset: {phantom: {}}\n" + yaml));
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }

  @Test
  void thePoolSizeFromHeadersIsWhatThePretrainingLoads(@TempDir Path dir) {
    PhantomDataset.write(dir.resolve("ph"), 3, 2, 5);
    DatasetSpec spec = DatasetLayouts.open(dir.resolve("ph"));
    Preprocessing pre = Preprocessing.forModality(spec.modality()).withSpacing(new double[] {1.5, 2, 0});
    List<DatasetSpec.Case> cases = new java.util.ArrayList<>();
    spec.training().forEach(c -> cases.add(c.withoutLabel()));
    cases.addAll(spec.unlabeled());
    assertEquals(2, spec.unlabeled().size());
    List<org.medssl.image.Volume> images = new DatasetLoader(pre, spec.labelNames().size()).load(cases, i -> { })
        .stream().map(org.medssl.data.Subject::image).toList();
    int slices = new PretrainImages(images, pre.sliceAxis()).sliceCount();
    assertEquals(slices, PretrainJob.poolSize(spec, pre, Dims.TWO));
    assertTrue(slices > 2 * cases.size(), "slices, not volumes: " + slices);
    assertEquals(cases.size(), PretrainJob.poolSize(spec, pre, Dims.THREE));
  }
}
