package org.medssl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's help renders: picocli formats descriptions, so a stray {@code %} (as in
 * "95 % intervals") prints a warning instead of the text.
 */
class HelpTextTest {
  @Test
  void everyCommandsHelpRendersWithoutFormatWarnings() {
    check(new CommandLine(new Main()), "medssl");
  }

  private static void check(CommandLine command, String name) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    String usage;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      usage = command.getUsageMessage();
    } finally {
      System.setErr(old);
    }
    assertEquals("", err.toString(StandardCharsets.UTF_8), name + " --help warns");
    assertFalse(usage.contains("%n") || usage.contains("%%"), name + ": unformatted text in\n" + usage);
    command.getSubcommands().forEach((sub, c) -> check(c, name + " " + sub));
  }
}
