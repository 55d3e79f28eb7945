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
import org.medssl.bench.NetworkConfig;
import org.medssl.io.AtomicFiles;
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

  @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads; 0 = all available cores.")
  int threads;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the full report as JSON.")
  Path json;

  @Override
  public Integer call() {
    Engine.init(threads);
    BenchOptions options = new BenchOptions(NetworkConfig.parse(configs), parsePrecisions(precisions), warmup, steps,
        Precision.parse(pipelinePrecision), loaderSteps, memorySteps, niftiFiles(nifti), niftiRepeats, pretextSteps,
        NetworkConfig.selectsPgl3d(configs));
    BenchReport report = Bench.run(options, line -> System.err.println("bench: " + line));
    report.summary().forEach(System.out::println);
    if (json != null) {
      AtomicFiles.writeString(json, report.toJson());
      System.out.println("wrote " + json);
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
