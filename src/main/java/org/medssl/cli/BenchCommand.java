package org.medssl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.medssl.MedsslException;
import org.medssl.bench.Bench;
import org.medssl.bench.BenchOptions;
import org.medssl.bench.BenchReport;
import org.medssl.bench.DataParallelBench;
import org.medssl.bench.NetworkBench;
import org.medssl.bench.NetworkResult;
import org.medssl.bench.NetworkConfig;
import org.medssl.io.AtomicFiles;
import org.medssl.tensor.Distributed;
import org.medssl.tensor.Engine;
import org.medssl.tensor.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code medssl bench}: throughput, memory, loader overlap and NIfTI decoding speed. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure training/inference throughput and peak RSS of the reference networks, loader overlap, "
        + "memory over long runs and NIfTI decoding speed. bench/compare.sh runs it against PyTorch.")
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--configs", defaultValue = "all", paramLabel = "LIST",
      description = "Comma-separated: unet2d, unet3d, demo2d, pgl3d (PGL's 3D pretraining step on a fixed batch),"
          + " or all (default: ${DEFAULT-VALUE}).")
  String configs;

  @Option(names = "--precision", defaultValue = "fp32,bf16", paramLabel = "LIST",
      description = "Comma-separated precisions to time: fp32, bf16, auto (default: ${DEFAULT-VALUE}).")
  String precisions;

  @Option(names = "--steps", defaultValue = "10", description = "Timed steps per configuration; 0 skips the networks (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps before each timing (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--loader-steps", defaultValue = "0",
      description = "Timed steps of the loader-overlap measurement on demo2d; 0 skips it (default: ${DEFAULT-VALUE}).")
  int loaderSteps;

  @Option(names = "--memory-steps", defaultValue = "0",
      description = "Training steps of the RSS trace on demo2d, e.g. 1000; 0 skips it (default: ${DEFAULT-VALUE}).")
  int memorySteps;

  @Option(names = "--pipeline-precision", defaultValue = "auto",
      description = "Precision of the loader and memory runs (default: ${DEFAULT-VALUE}).")
  String pipelinePrecision;

  @Option(names = "--nifti", paramLabel = "PATH",
      description = "A .nii/.nii.gz file or a directory of them to time decoding on (repeatable).")
  List<Path> nifti = new ArrayList<>();

  @Option(names = "--nifti-repeats", defaultValue = "5", description = "Timed reads per NIfTI file (default: ${DEFAULT-VALUE}).")
  int niftiRepeats;

  @Option(names = "--pretext-steps", defaultValue = "0",
      description = "Timed steps of PGL's 3D pretraining through the real loop and loader (the phantom-3d study's network)"
          + " per precision; 0 skips"
          + " it (default: ${DEFAULT-VALUE}).")
  int pretextSteps;

  @Option(names = "--data-parallel-steps", defaultValue = "0", paramLabel = "N",
      description = "Timed steps of the data-parallel row on the first --configs network at the first --precision:"
          + " one process with every core against 2 processes with half the cores and half the batch each; 0 skips it"
          + " (default: ${DEFAULT-VALUE}).")
  int dataParallelSteps;

  @Option(names = "--data-parallel-rank", hidden = true, description = "Run as one rank of the data-parallel row.")
  boolean dataParallelRank;

  @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads; 0 = all available cores.")
  int threads;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the full report as JSON.")
  Path json;

  @Override
  public Integer call() throws Exception {
    Engine.init(threads);
    if (dataParallelRank) {
      return rankOfDataParallelRow();
    }
    BenchOptions options = new BenchOptions(NetworkConfig.parse(configs), parsePrecisions(precisions), warmup, steps,
        Precision.parse(pipelinePrecision), loaderSteps, memorySteps, niftiFiles(nifti), niftiRepeats, pretextSteps,
        NetworkConfig.selectsPgl3d(configs));
    BenchReport report = Bench.run(options, line -> System.err.println("bench: " + line));
    report.summary().forEach(System.out::println);
    if (json != null) {
      AtomicFiles.writeString(json, report.toJson());
      System.out.println("wrote " + json);
    }
    if (dataParallelSteps > 0) {
      dataParallelRow();
    }
    return 0;
  }

  /**
   * Throughput of the first network trained by this process with every core, then by 2 processes
   * (ranks of one group) with half the cores and half the batch each: the same samples per step.
   */
  private void dataParallelRow() throws Exception {
    NetworkConfig config = NetworkConfig.parse(configs).get(0);
    Precision precision = parsePrecisions(precisions).get(0);
    System.err.printf("bench: data-parallel %s %s: 1 process, then 2 ranks, %d warm-up + %d timed steps%n",
        config.name(), precision.label(), warmup, dataParallelSteps);
    NetworkResult alone = NetworkBench.run(config, precision, warmup, dataParallelSteps);
    String[] rendezvous = LaunchCommand.localRendezvous();
    int each = Math.max(1, Engine.threads() / 2);
    List<String> rankCommand = List.of("bench", "--data-parallel-rank", "--configs", config.name(), "--precision",
        precision.label(), "--warmup", Integer.toString(warmup), "--steps", Integer.toString(dataParallelSteps));
    List<Process> ranks = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      ProcessBuilder rank = LaunchCommand.rank(rankCommand, r, r, 2, 2, rendezvous, each);
      if (r > 0) {
        rank.redirectOutput(ProcessBuilder.Redirect.DISCARD); // rank 0 reports; nobody reads the others' pipes
      }
      ranks.add(rank.start());
    }
    String output = new String(ranks.get(0).getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    for (Process p : ranks) {
      if (!p.waitFor(600, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
        ranks.forEach(Process::destroyForcibly);
        throw new MedsslException("bench: a rank of the data-parallel row failed:\n" + output);
      }
    }
    DataParallelBench.Rank two = output.lines().filter(l -> l.startsWith("data-parallel-rank ")).findFirst()
        .map(DataParallelBench.Rank::parse)
        .orElseThrow(() -> new MedsslException("bench: rank 0 reported no result:\n" + output));
    System.out.printf(java.util.Locale.ROOT, "data-parallel %s %s, %d samples per step: 1 process x %d threads %.1f"
        + " samples/s (%.1f ms/step); 2 processes x %d thread(s), batch %d each, %.1f samples/s (%.1f ms/step, %.2fx);"
        + " gradient all-reduce %.2f ms per step for %.2f MB of gradients%n", config.name(), precision.label(),
        config.batch(), alone.threads(), alone.trainSamplesPerSecond(), alone.trainMs().median(), two.threads(),
        two.batchPerRank(), two.groupSamplesPerSecond(), two.stepMs().median(),
        two.groupSamplesPerSecond() / alone.trainSamplesPerSecond(), two.allReduceMs(), two.gradientMb());
  }

  /** One rank of {@link #dataParallelRow}: joins the group, times its share, and rank 0 reports. */
  private int rankOfDataParallelRow() {
    Distributed group = Distributed.joinFromEnvironment()
        .orElseThrow(() -> new MedsslException("--data-parallel-rank needs the variables of a rank (RANK, WORLD_SIZE…)"));
    NetworkConfig config = NetworkConfig.parse(configs).get(0);
    DataParallelBench.Rank r = DataParallelBench.run(config, Math.max(1, config.batch() / group.world()),
        parsePrecisions(precisions).get(0), warmup, steps, group);
    if (group.rank() == 0) {
      System.out.println(r.toLine());
    }
    return 0;
  }

  private static List<Precision> parsePrecisions(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Precision::parse).toList();
  }

  /** The files given, with directories expanded to the NIfTI files directly inside them, sorted. */
  private static List<Path> niftiFiles(List<Path> given) {
    List<Path> out = new ArrayList<>();
    for (Path p : given) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> files = Files.list(p)) {
          files.filter(f -> f.toString().endsWith(".nii") || f.toString().endsWith(".nii.gz")).sorted().forEach(out::add);
        } catch (IOException e) {
          throw new MedsslException(p + ": cannot list directory (" + e.getMessage() + ")");
        }
      } else if (Files.isRegularFile(p)) {
        out.add(p);
      } else {
        throw new MedsslException(p + ": no such file or directory");
      }
    }
    return out;
  }
}
