package org.medssl.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line that runs medssl in a new JVM like this one: study workers and launched ranks. */
final class JvmCommand {
  private JvmCommand() {}

  /** This JVM (its heap and native-cache options, not its agents) running medssl with {@code args}. */
  static List<String> medssl(List<String> args) {
    List<String> line = new ArrayList<>();
    line.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // the parent's JVM options (heap, native cache), not its agents: a debugger's port is taken
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-agentpath"))
        .forEach(line::add);
    line.add("-cp");
    line.add(System.getProperty("java.class.path"));
    line.add(Main.class.getName());
    line.addAll(args);
    return line;
  }
}
