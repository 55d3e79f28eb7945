package org.medssl.tensor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Restarts this JVM's command line with extra environment variables and exits with the child's
 * status: how a configuration whose variables are read when libtorch loads reaches a process that
 * already loaded it. {@link #MARKER} stops a second restart.
 */
final class Relaunch {
  static final String MARKER = "MEDSSL_RELAUNCHED";

  private Relaunch() {}

  static void exec(Map<String, String> environment) {
    ProcessHandle.Info info = ProcessHandle.current().info();
    if (info.command().isEmpty() || info.arguments().isEmpty()) {
      return; // the command line is not visible here: the caller falls back
    }
    List<String> command = new ArrayList<>();
    command.add(info.command().get());
    command.addAll(List.of(info.arguments().get()));
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().putAll(environment);
    builder.environment().put(MARKER, "1");
    try {
      Process child = builder.start();
      Runtime.getRuntime().addShutdownHook(new Thread(child::destroy));
      System.exit(child.waitFor());
    } catch (IOException e) {
      // could not start: the caller falls back to what this process can run
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.exit(130);
    }
  }
}
