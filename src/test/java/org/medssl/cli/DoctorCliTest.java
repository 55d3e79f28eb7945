package org.medssl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medssl.tensor.Engine;
import org.medssl.testkit.CliRun;

/** {@code medssl doctor}: a table per tried configuration, every row of the chosen one passing, the verdict last. */
class DoctorCliTest {
  @Test
  void doctorShowsTheChosenConfigurationWithEveryRowPassing() {
    CliRun run = CliRun.of("doctor");
    assertEquals(0, run.code(), run.out() + run.err());
    String chosen = Engine.config().name();
    List<String> lines = run.out().lines().toList();
    int start = lines.indexOf(lines.stream().filter(l -> l.startsWith("== " + chosen + ":")).findFirst()
        .orElseThrow(() -> new AssertionError("no table for " + chosen + ":\n" + run.out())));
    List<String> table = lines.subList(start + 2, lines.size()).stream().takeWhile(l -> !l.isBlank()).toList();
    assertTrue(lines.get(start).endsWith("(chosen) =="), lines.get(start));
    assertTrue(table.stream().filter(l -> l.contains(" NCHW ")).count() >= 40, String.join("\n", table));
    assertTrue(table.stream().anyMatch(l -> l.contains(" NHWC ")), "channels-last rows are shown too");
    assertTrue(table.stream().filter(l -> l.contains(" NCHW ")).noneMatch(l -> l.contains(" FAIL ")),
        String.join("\n", table));
    assertTrue(run.out().contains("\nverdict: engine " + chosen + "\n"), run.out());
    assertTrue(lines.get(lines.size() - 1).startsWith("cached in "), run.out());
  }
}
