package org.medssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The code fingerprint that keeps one build's cached pretrainings from another build. */
class VersionTest {
  private static Map<String, byte[]> classes(String ssl, String cli) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("org/medssl/ssl/Byol.class", ssl.getBytes());
    m.put("org/medssl/cli/Main.class", cli.getBytes());
    m.put("org/medssl/study/report/Plots.class", cli.getBytes());
    m.put("org/medssl/augment/Resample.class", "resample".getBytes());
    m.put("org/medssl/viewer/niivue.umd.js", "not a class".getBytes());
    return m;
  }

  @Test
  void theFingerprintFollowsTheClassesThatComputeAndNothingElse() {
    String base = Version.fingerprint(classes("byol v1", "help v1"));
    assertTrue(base.matches("[0-9a-f]{16}"), base);
    assertEquals(base, Version.fingerprint(classes("byol v1", "help v2")), "the command line and reports do not count");
    assertNotEquals(base, Version.fingerprint(classes("byol v2", "help v1")), "a pretext method does");
    Map<String, byte[]> reversed = new LinkedHashMap<>();
    classes("byol v1", "help v1").entrySet().stream().sorted(Map.Entry.<String, byte[]>comparingByKey().reversed())
        .forEach(e -> reversed.put(e.getKey(), e.getValue()));
    assertEquals(base, Version.fingerprint(reversed), "independent of the order the files are listed in");
    Map<String, byte[]> renamed = classes("byol v1", "help v1");
    renamed.put("org/medssl/ssl/Pgl.class", renamed.remove("org/medssl/ssl/Byol.class"));
    assertNotEquals(base, Version.fingerprint(renamed), "names count, not only contents");
  }

  @Test
  void thisBuildHasAFingerprintOfItsOwnClasses() {
    String code = Version.code();
    assertTrue(code.matches("[0-9a-f]{16}"), "read from the classes, not the fallback: " + code);
    assertEquals(code, Version.code());
  }
}
