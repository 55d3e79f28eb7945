package org.medssl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.medssl.MedsslException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code medssl launch}: runs a training command as several processes that train one model
 * together, with the variables torchrun sets ({@code RANK}, {@code LOCAL_RANK}, {@code WORLD_SIZE},
 * {@code LOCAL_WORLD_SIZE}, {@code MASTER_ADDR}, {@code MASTER_PORT}), no Python needed. Rank 0's
 * output is passed through as it is, in whole lines; the others' lines are prefixed with their rank. When one
 * process fails, the others are stopped and the launch fails with its exit code.
 */
@Command(name = "launch", mixinStandardHelpOptions = true, modelTransformer = LaunchCommand.CommandAfterOptions.class,
    description = "Run pretrain or finetune as N processes per machine that train one model together (data"
        + " parallelism over libtorch's Gloo backend, as torchrun runs PyTorch's DDP). --batch is per process; the"
        + " cores are shared out between the processes. Example: launch --nproc 2 finetune --data ph --out m.medssl")
final class LaunchCommand implements Callable<Integer> {
  private static final Set<String> TRAINING = Set.of("pretrain", "finetune");

  @Option(names = "--nproc", required = true, paramLabel = "N", description = "Processes on this machine.")
  int nproc;

  @Option(names = "--nnodes", defaultValue = "1", paramLabel = "M", description = "Machines (default: ${DEFAULT-VALUE}).")
  int nnodes;

  @Option(names = "--node-rank", defaultValue = "0", paramLabel = "R",
      description = "This machine's index among --nnodes (default: ${DEFAULT-VALUE}).")
  int nodeRank;

  @Option(names = "--master", paramLabel = "HOST:PORT", description = "Where rank 0 serves the rendezvous (needed with"
      + " --nnodes > 1; default: 127.0.0.1 and a free port).")
  String master;

  @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "pretrain or finetune and its options.")
  List<String> command;

  /** Everything after the training command's name is that command's, not launch's. */
  static final class CommandAfterOptions implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      spec.parser().stopAtPositional(true);
      return spec;
    }
  }

  @Override
  public Integer call() throws Exception {
    check();
    String[] hostPort = masterAddress();
    int world = nproc * nnodes;
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / nproc);
    System.out.printf("launch: %d process(es) here, %d in all, %d thread(s) each, rendezvous at %s:%s%n", nproc, world,
        threads, hostPort[0], hostPort[1]);
    List<Process> ranks = new ArrayList<>();
    List<Thread> pumps = new ArrayList<>();
    Thread stopper = new Thread(() -> ranks.forEach(Process::destroyForcibly));
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      for (int local = 0; local < nproc; local++) {
        int rank = nodeRank * nproc + local;
        Process p = rank(command, rank, local, world, nproc, hostPort, threads).start();
        ranks.add(p);
        pumps.add(pump(p.getInputStream(), rank));
      }
      int code = waitForAll(ranks);
      for (Thread t : pumps) {
        t.join(5000);
      }
      return code;
    } finally {
      ranks.forEach(Process::destroyForcibly);
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException e) {
        // shutting down already
      }
    }
  }

  /**
   * A process of rank {@code rank} running medssl {@code command} with torchrun's variables; its
   * stderr goes with its stdout.
   */
  static ProcessBuilder rank(List<String> command, int rank, int local, int world, int nproc, String[] hostPort,
      int threads) {
    ProcessBuilder pb = new ProcessBuilder(JvmCommand.medssl(command)).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("RANK", Integer.toString(rank));
    env.put("LOCAL_RANK", Integer.toString(local));
    env.put("WORLD_SIZE", Integer.toString(world));
    env.put("LOCAL_WORLD_SIZE", Integer.toString(nproc));
    env.put("GROUP_RANK", Integer.toString(rank / nproc));
    env.put("MASTER_ADDR", hostPort[0]);
    env.put("MASTER_PORT", hostPort[1]);
    env.put("OMP_NUM_THREADS", Integer.toString(threads));
    return pb;
  }

  /** 127.0.0.1 and a port free now, for ranks on this machine alone. */
  static String[] localRendezvous() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return new String[] {"127.0.0.1", Integer.toString(s.getLocalPort())};
    }
  }

  private void check() {
    if (nproc < 1 || nnodes < 1 || nodeRank < 0 || nodeRank >= nnodes) {
      throw new MedsslException("launch: need --nproc >= 1, --nnodes >= 1 and 0 <= --node-rank < --nnodes, got "
          + nproc + ", " + nnodes + ", " + nodeRank);
    }
    if (!TRAINING.contains(command.get(0))) {
      throw new MedsslException("launch: runs pretrain or finetune, not '" + command.get(0) + "'");
    }
    if (nnodes > 1 && master == null) {
      throw new MedsslException("launch: --nnodes " + nnodes + " needs --master HOST:PORT, the same on every machine");
    }
  }

  private String[] masterAddress() throws IOException {
    if (master == null) {
      return localRendezvous();
    }
    int colon = master.lastIndexOf(':');
    if (colon <= 0 || !master.substring(colon + 1).matches("\\d{1,5}")) {
      throw new MedsslException("--master: expected HOST:PORT, got '" + master + "'");
    }
    return new String[] {master.substring(0, colon), master.substring(colon + 1)};
  }

  /** Waits until every rank has ended; the first to fail stops the others. Returns the launch's exit code. */
  private static int waitForAll(List<Process> ranks) throws InterruptedException {
    int code = 0; // the first failure's, not that of the ranks stopped because of it
    while (ranks.stream().anyMatch(Process::isAlive)) {
      int failed = firstFailed(ranks);
      if (code == 0 && failed >= 0) {
        code = ranks.get(failed).exitValue();
        System.err.printf("launch: rank %d ended with exit code %d; stopping the others%n", failed, code);
        ranks.forEach(Process::destroy);
      }
      ranks.get(0).waitFor(200, TimeUnit.MILLISECONDS);
    }
    int failed = firstFailed(ranks);
    return code != 0 || failed < 0 ? code : ranks.get(failed).exitValue();
  }

  /** The first rank that ended with a non-zero exit code, or -1. */
  private static int firstFailed(List<Process> ranks) {
    for (int r = 0; r < ranks.size(); r++) {
      if (!ranks.get(r).isAlive() && ranks.get(r).exitValue() != 0) {
        return r;
      }
    }
    return -1;
  }

  /** Copies a rank's output: rank 0's as it is (progress bars included), the others' lines prefixed. */
  private static Thread pump(InputStream in, int rank) {
    Thread t = new Thread(() -> {
      try (in) {
        if (rank == 0) {
          copyWholeLines(in, System.out);
        } else {
          prefixLines(in, System.out, "[rank " + rank + "] ");
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "launch-rank-" + rank);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Copies up to the last line end ({@code \n}, or a progress bar's {@code \r}) read so far and
   * keeps the rest for the next read: a read can stop mid-line, and the other ranks' lines would
   * then land inside rank 0's ("data-parallel: rank [rank 1] ...").
   */
  static void copyWholeLines(InputStream in, OutputStream out) throws IOException {
    byte[] buf = new byte[8192];
    int held = 0;
    for (int n = in.read(buf, held, buf.length - held); n >= 0; n = in.read(buf, held, buf.length - held)) {
      int filled = held + n;
      int end = filled;
      while (end > 0 && buf[end - 1] != '\n' && buf[end - 1] != '\r') {
        end--;
      }
      if (end == 0 && filled == buf.length) {
        end = filled; // a line longer than the buffer goes out in pieces
      }
      out.write(buf, 0, end);
      out.flush();
      held = filled - end;
      System.arraycopy(buf, end, buf, 0, held);
    }
    out.write(buf, 0, held);
    out.flush();
  }

  private static void prefixLines(InputStream in, PrintStream out, String prefix) throws IOException {
    java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
    for (String line = r.readLine(); line != null; line = r.readLine()) {
      String last = line.substring(line.lastIndexOf('\r') + 1); // a progress bar's latest state
      out.println(prefix + last);
    }
  }
}
