package org.medssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medssl.Version.Scope;

/** The code fingerprints: one keeps a build's cached pretrainings from another, one marks the records a build wrote. */
class VersionTest {
  private static Map<String, byte[]> classes(String ssl, String other) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("org/medssl/ssl/Byol.class", ssl.getBytes());
    m.put("org/medssl/augment/Resample.class", "resample".getBytes());
    m.put("org/medssl/study/plan/StudyPlan.class", "plan".getBytes());
    for (String p : new String[] {"cli/Main", "study/report/Plots", "viewer/ViewerPage", "bench/Bench", "seg/FineTuneJob",
        "metrics/Dice", "study/Study"}) {
      m.put("org/medssl/" + p + ".class", other.getBytes());
    }
    m.put("org/medssl/ssl/notes.txt", other.getBytes());
    return m;
  }

  @Test
  void theFingerprintFollowsTheClassesAPretrainingRunsAndNothingElse() {
    String base = Version.fingerprint(classes("byol v1", "v1"), Scope.PRETRAINING);
    assertTrue(base.matches("[0-9a-f]{16}"), base);
    assertEquals(base, Version.fingerprint(classes("byol v1", "v2"), Scope.PRETRAINING),
        "the command line, reports, viewer, benchmarks, fine-tuning, metrics and the runner do not count");
    assertNotEquals(base, Version.fingerprint(classes("byol v2", "v1"), Scope.PRETRAINING), "a pretext method does");
    Map<String, byte[]> plan = classes("byol v1", "v1");
    plan.put("org/medssl/study/plan/StudyPlan.class", "plan v2".getBytes());
    assertNotEquals(base, Version.fingerprint(plan, Scope.PRETRAINING), "so does the plan that resolves a pretraining's budget");
    Map<String, byte[]> renamed = classes("byol v1", "v1");
    renamed.put("org/medssl/ssl/Pgl.class", renamed.remove("org/medssl/ssl/Byol.class"));
    assertNotEquals(base, Version.fingerprint(renamed, Scope.PRETRAINING), "names count, not only contents");
  }

  @Test
  void theResultsFingerprintAlsoFollowsFineTuningMetricsAndTheRunnerButNotTheReports() {
    String base = Version.fingerprint(classes("byol v1", "v1"), Scope.RESULTS);
    assertNotEquals(base, Version.fingerprint(classes("byol v2", "v1"), Scope.RESULTS), "a pretext method counts");
    for (String computes : new String[] {"seg/FineTuneJob", "metrics/Dice", "study/Study"}) {
      Map<String, byte[]> changed = classes("byol v1", "v1");
      changed.put("org/medssl/" + computes + ".class", "v2".getBytes());
      assertNotEquals(base, Version.fingerprint(changed, Scope.RESULTS), computes + " counts");
    }
    for (String presents : new String[] {"cli/Main", "study/report/Plots", "viewer/ViewerPage", "bench/Bench"}) {
      Map<String, byte[]> changed = classes("byol v1", "v1");
      changed.put("org/medssl/" + presents + ".class", "v2".getBytes());
      assertEquals(base, Version.fingerprint(changed, Scope.RESULTS), presents + " does not count");
    }
  }

  @Test
  void thisBuildHasAFingerprintOfItsOwnClasses() {
    String code = Version.code().orElseThrow();
    assertTrue(code.matches("[0-9a-f]{16}"), code);
    assertEquals(code, Version.code().orElseThrow());
    assertTrue(Version.build().matches(Version.current() + "\\+[0-9a-f]{16}"), Version.build());
  }
}
