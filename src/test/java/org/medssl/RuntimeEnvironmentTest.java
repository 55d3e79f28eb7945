package org.medssl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tests run the way users run: the test JVM (src/test/jvm/bin/java) gets runtime-env.sh's
 * variables, the one file the ./medssl launcher also sources, with the same values.
 */
class RuntimeEnvironmentTest {
  private static final List<String> VARIABLES = List.of("GOMP_SPINCOUNT", "MALLOC_MMAP_THRESHOLD_",
      "MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_");

  @Test
  void theTestJvmHasTheLaunchersRuntimeEnvironment() throws Exception {
    String script = VARIABLES.stream().map(v -> "unset " + v + ";").reduce("unset OMP_WAIT_POLICY;", String::concat)
        + " . ./runtime-env.sh; " + VARIABLES.stream().map(v -> "echo \"" + v + "=${" + v + ":-}\";")
        .reduce("", String::concat);
    Process p = new ProcessBuilder("bash", "-c", script).directory(Path.of("").toAbsolutePath().toFile()).start();
    List<String> expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertEquals(0, p.waitFor());
    List<String> actual = VARIABLES.stream().map(v -> v + "=" + System.getenv().getOrDefault(v, "")).toList();
    if (System.getenv("OMP_WAIT_POLICY") == null) { // a user's own OMP_WAIT_POLICY replaces the spin count
      assertEquals(expected, actual);
    } else {
      assertEquals(expected.subList(1, VARIABLES.size()), actual.subList(1, VARIABLES.size()));
    }
  }
}
