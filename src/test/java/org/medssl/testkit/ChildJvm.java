package org.medssl.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the medssl command line in a separate JVM, so a test can kill it with SIGKILL. */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * Starts {@code medssl args...} with the test classpath and the test JVM's environment (the
   * launcher's, see src/test/jvm/bin/java); stdout and stderr go to {@code log}.
   */
  public static Process medssl(Path log, String... args) throws IOException {
    return medssl(log, java.util.Map.of(), args);
  }

  /** As above, with these environment variables added (a data-parallel rank's, say). */
  public static Process medssl(Path log, java.util.Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-cp", System.getProperty("java.class.path")));
    String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
    if (cache != null) {
      cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
    }
    cmd.add("org.medssl.cli.Main");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }
}
