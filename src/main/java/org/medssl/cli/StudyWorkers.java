package org.medssl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
   * printing its log lines here and its errors into {@code <out>/workers/worker-<i>.err}. The first
   * worker to fail stops the others.
   */
  static void run(List<String> command, Path out, int workers, int threads, Precision precision) {
    Path logs = out.resolve("workers");
    try {
      Files.createDirectories(logs);
    } catch (IOException e) {
      throw new MedsslException(logs + ": cannot create: " + e.getMessage(), e);
    }
    List<Process> running = new CopyOnWriteArrayList<>();
    Thread stopAll = new Thread(() -> running.forEach(Process::destroy));
    Runtime.getRuntime().addShutdownHook(stopAll);
    try {
      checkEngineOnce(logs, threads);
      for (int i = 1; i <= workers; i++) {
        running.add(start(command, errors(logs, i), threads, precision));
      }
      waitForAll(running, logs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MedsslException("interrupted while study workers ran; re-running the command resumes", e);
    } finally {
      running.forEach(Process::destroy);
      try {
        Runtime.getRuntime().removeShutdownHook(stopAll);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: it stops the workers
      }
    }
  }

  private static void waitForAll(List<Process> workers, Path logs) throws InterruptedException {
    while (true) {
      boolean anyAlive = false;
      for (int i = 0; i < workers.size(); i++) {
        Process p = workers.get(i);
        if (p.waitFor(200, TimeUnit.MILLISECONDS)) {
          if (p.exitValue() != 0) {
            throw new MedsslException("study worker " + (i + 1) + " of " + workers.size() + " exited with status "
                + p.exitValue() + "; its errors: " + errors(logs, i + 1) + "; re-running the command resumes");
          }
        } else {
          anyAlive = true;
        }
      }
      if (!anyAlive) {
        return;
      }
    }
  }

  private static Path errors(Path logs, int worker) {
    return logs.resolve("worker-" + worker + ".err");
  }

  /**
   * In a worker: exit when the parent does (killed with -9 it cannot stop its workers itself). What
   * the worker was writing is written atomically, and the cell it held is free again.
   */
  static void exitWithParent() {
    ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
      System.err.println("medssl: the study's parent process ended; this worker stops");
      Runtime.getRuntime().halt(3);
    }));
  }

  /**
   * The engine's self-check at the workers' thread count, run once before they start (its verdict
   * is cached per thread count): workers starting together would each run it at once, and each
   * would time bf16 against fp32 on cores the others are busy with.
   */
  private static void checkEngineOnce(Path logs, int threads) throws InterruptedException {
    Path log = logs.resolve("engine-check.log");
    try {
      Process p = new ProcessBuilder(JvmCommand.medssl(List.of("doctor", "--threads", Integer.toString(threads))))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (p.waitFor() != 0) {
        throw new MedsslException("the engine self-check for the workers failed; see " + log);
      }
    } catch (IOException e) {
      throw new MedsslException("cannot start the engine self-check for the workers: " + e.getMessage(), e);
    }
  }

  private static Process start(List<String> command, Path errors, int threads, Precision precision) {
    List<String> line = new ArrayList<>(command);
    line.addAll(List.of("--worker", "--threads", Integer.toString(threads), "--precision", precision.label()));
    try {
      return new ProcessBuilder(JvmCommand.medssl(line)).redirectOutput(ProcessBuilder.Redirect.INHERIT)
          .redirectError(errors.toFile()).start();
    } catch (IOException e) {
      throw new MedsslException("cannot start a study worker: " + e.getMessage(), e);
    }
  }
}
