package org.medssl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.data.phantom.PhantomDataset;
import org.medssl.testkit.ChildJvm;
import org.medssl.testkit.CliRun;

/**
 * {@code medssl launch}: two processes pretrain and fine-tune one model together, and the files
 * rank 0 writes load in {@code evaluate}; what data parallelism cannot do is refused in one line.
 */
class LaunchTest {
  @TempDir
  Path dir;

  @Test
  void twoRanksPretrainAndFineTuneAModelThatEvaluates() throws Exception {
    Path data = dir.resolve("ph");
    PhantomDataset.write(data, 4, 1, 3);
    Path pre = dir.resolve("byol.medssl");
    CliRun p = CliRun.of("launch", "--nproc", "2", "pretrain", "--method", "byol", "--data", data.toString(), "--out",
        pre.toString(), "--steps", "6", "--batch", "2", "--channels", "4,8", "--precision", "fp32");
    assertEquals(0, p.code(), p.out() + p.err());
    assertTrue(p.out().contains("data-parallel: rank 0 of 2, batch 2 per rank (4 per step in all)"), p.out());
    assertTrue(p.out().contains("[rank 1] data-parallel: rank 1 of 2"), p.out());
    Path model = dir.resolve("m.medssl");
    CliRun f = CliRun.of("launch", "--nproc", "2", "finetune", "--data", data.toString(), "--labeled", "2", "--init",
        pre.toString(), "--out", model.toString(), "--steps", "6", "--batch", "2", "--channels", "4,8", "--validation",
        "1", "--precision", "fp32");
    assertEquals(0, f.code(), f.out() + f.err());
    assertTrue(Files.isRegularFile(model));
    CliRun e = CliRun.of("evaluate", "--model", model.toString(), "--data", data.toString(), "--out",
        dir.resolve("m.csv").toString(), "--precision", "fp32");
    assertEquals(0, e.code(), e.out() + e.err());
  }

  /**
   * Two ranks started as torchrun would start them; one is killed mid-run, and the other ends
   * with an error line well within 60 s instead of waiting for it.
   */
  @Test
  void killingOneRankEndsTheOtherWithAnError() throws Exception {
    Path data = dir.resolve("ph");
    PhantomDataset.write(data, 3, 0, 3);
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process[] ranks = new Process[2];
    for (int r = 0; r < 2; r++) {
      ranks[r] = ChildJvm.medssl(dir.resolve("rank" + r + ".log"), java.util.Map.of("RANK", "" + r, "LOCAL_RANK",
          "" + r, "WORLD_SIZE", "2", "LOCAL_WORLD_SIZE", "2", "MASTER_ADDR", "127.0.0.1", "MASTER_PORT", "" + port),
          "finetune", "--data", data.toString(), "--labeled", "1", "--out", dir.resolve("m" + r + ".medssl").toString(),
          "--steps", "100000", "--batch", "2", "--channels", "4,8", "--validation", "1", "--precision", "fp32");
    }
    try {
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
      while (!Files.readString(dir.resolve("rank0.log")).contains("fine-tuning: fp32 precision")
          || !Files.readString(dir.resolve("rank1.log")).contains("data-parallel: rank 1 of 2")) {
        assertTrue(ranks[0].isAlive() && ranks[1].isAlive() && System.nanoTime() < deadline,
            Files.readString(dir.resolve("rank0.log")) + Files.readString(dir.resolve("rank1.log")));
        Thread.sleep(50);
      }
      Thread.sleep(3000); // into the training steps
      ranks[1].destroyForcibly();
      long t0 = System.nanoTime();
      assertTrue(ranks[0].waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "rank 0 still runs 60 s after rank 1 died");
      double seconds = (System.nanoTime() - t0) / 1e9;
      String log = Files.readString(dir.resolve("rank0.log"));
      assertEquals(2, ranks[0].exitValue(), log);
      assertTrue(log.contains("rank 0 of 2: "), log);
      System.out.printf("data-parallel: rank 0 stopped %.1f s after rank 1 was killed%n", seconds);
    } finally {
      for (Process p : ranks) {
        p.destroyForcibly();
      }
    }
  }

  /** Debian's torchrun (python3-torch) starts the ranks instead of launch; skipped where it is absent. */
  @Test
  void debianTorchrunRunsTheSameJob() throws Exception {
    Path torchrun = Path.of("/usr/bin/torchrun");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(torchrun), "no /usr/bin/torchrun");
    Path data = dir.resolve("ph");
    PhantomDataset.write(data, 3, 1, 3);
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path model = dir.resolve("torchrun.medssl");
    java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(torchrun.toString(), "--nnodes", "1",
        "--nproc_per_node", "2", "--rdzv_backend=c10d", "--rdzv_endpoint=127.0.0.1:" + port, "--redirects", "1", "--tee",
        "1", "--no_python", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp",
        System.getProperty("java.class.path"), "org.medssl.cli.Main", "finetune", "--data", data.toString(),
        "--labeled", "1", "--out", model.toString(), "--steps", "4", "--batch", "2", "--channels", "4,8",
        "--validation", "1", "--precision", "fp32"));
    Path log = dir.resolve("torchrun.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(180, java.util.concurrent.TimeUnit.SECONDS), "torchrun finishes");
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("data-parallel: rank 1 of 2") && out.contains("data-parallel: rank 0 of 2"), out);
    assertTrue(Files.isRegularFile(model), out);
  }

  @Test
  void benchTimesOneProcessAgainstTwoRanks() {
    CliRun b = CliRun.of("bench", "--steps", "0", "--configs", "demo2d", "--precision", "fp32", "--warmup", "1",
        "--data-parallel-steps", "2");
    assertEquals(0, b.code(), b.out() + b.err());
    assertTrue(b.out().matches("(?s).*data-parallel demo2d fp32, 8 samples per step: 1 process x \\d+ threads [0-9.]+"
        + " samples/s .*2 processes x \\d+ thread\\(s\\), batch 4 each, [0-9.]+ samples/s .*gradient all-reduce"
        + " [0-9.]+ ms per step for 0\\.48 MB of gradients.*"), b.out());
  }

  @Test
  void whatDataParallelismCannotDoIsRefusedAndStopsTheOtherRank() {
    Path data = dir.resolve("ph");
    PhantomDataset.write(data, 3, 0, 3);
    CliRun r = CliRun.of("launch", "--nproc", "2", "finetune", "--data", data.toString(), "--labeled", "1", "--out",
        dir.resolve("bn.medssl").toString(), "--norm", "batch", "--steps", "2", "--channels", "4,8", "--validation", "1");
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("--norm batch: batch-norm statistics are not synchronised across the 2 processes"),
        r.out());
    CliRun bad = CliRun.of("launch", "--nproc", "2", "evaluate", "--model", "x");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("launch: runs pretrain or finetune, not 'evaluate'"), bad.err());
  }
}
