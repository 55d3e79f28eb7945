package org.medssl.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.medssl.MedsslException;
import org.medssl.tensor.Precision;

/**
 * Starts worker processes on a study directory and waits for them. Small networks do not keep two
 * cores busy in one process (on 2 cores, two 1-thread fine-tunings ran 1.4x the cells per hour of
 * one 2-thread run), and separate processes keep libtorch's thread pools apart. The workers share
 * out the cells through the study's file locks; the parent writes the outputs afterwards.
 */
final class StudyWorkers {
  private StudyWorkers() {}

  /** The thread count each of {@code workers} gets out of {@code threads}. */
  static int threadsEach(int threads, int workers) {
    return Math.max(1, threads / workers);
  }

  /**
   * Runs {@code workers} copies of {@code command} (a subcommand and its arguments, e.g.
   * {@code study --config C --out O}) with {@code --worker}, the given threads and precision, each
   * printing its log lines here and its errors into {@code <out>/workers/worker-<i>.err}.
   */
  static void run(List<String> command, Path out, int workers, int threads, Precision precision) {
    Path logs = out.resolve("workers");
    try {
      Files.createDirectories(logs);
    } catch (IOException e) {
      throw new MedsslException(logs + ": cannot create: " + e.getMessage(), e);
    }
    List<Process> running = new ArrayList<>();
    Thread stopAll = new Thread(() -> running.forEach(Process::destroy));
    Runtime.getRuntime().addShutdownHook(stopAll);
    try {
      for (int i = 1; i <= workers; i++) {
        running.add(start(command, logs.resolve("worker-" + i + ".err"), threads, precision));
      }
      for (int i = 0; i < running.size(); i++) {
        int status = running.get(i).waitFor();
        if (status != 0) {
          throw new MedsslException("study worker " + (i + 1) + " of " + workers + " exited with status " + status
              + "; its errors: " + logs.resolve("worker-" + (i + 1) + ".err"));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MedsslException("interrupted while study workers ran; re-running the command resumes", e);
    } finally {
      running.forEach(Process::destroy);
      Runtime.getRuntime().removeShutdownHook(stopAll);
    }
  }

  private static Process start(List<String> command, Path errors, int threads, Precision precision) {
    List<String> line = new ArrayList<>();
    line.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    line.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    line.add("-cp");
    line.add(System.getProperty("java.class.path"));
    line.add(Main.class.getName());
    line.addAll(command);
    line.addAll(List.of("--worker", "--threads", Integer.toString(threads), "--precision", precision.label()));
    try {
      return new ProcessBuilder(line).redirectOutput(ProcessBuilder.Redirect.INHERIT)
          .redirectError(errors.toFile()).start();
    } catch (IOException e) {
      throw new MedsslException("cannot start a study worker (" + line.get(0) + "): " + e.getMessage(), e);
    }
  }
}
