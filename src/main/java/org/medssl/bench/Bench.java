package org.medssl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.medssl.Version;
import org.medssl.tensor.Engine;
import org.medssl.tensor.Precision;

/** Runs the parts of a benchmark the options ask for, in a fixed order, and collects the report. */
public final class Bench {
  private Bench() {}

  public static BenchReport run(BenchOptions o, Consumer<String> progress) {
    String load = loadAverage();
    List<NetworkResult> networks = new ArrayList<>();
    if (o.steps() > 0) {
      for (NetworkConfig c : o.configs()) {
        for (Precision p : o.precisions()) {
          progress.accept(String.format("%s %s: %d warm-up + %d timed steps", c.name(), p.label(), o.warmup(), o.steps()));
          networks.add(NetworkBench.run(c, p, o.warmup(), o.steps()));
        }
      }
    }
    if (o.steps() > 0 && o.pgl3d()) {
      for (Precision p : o.precisions()) {
        progress.accept(String.format("%s %s: %d warm-up + %d timed steps on a fixed batch", PretextBench.NAME,
            p.label(), o.warmup(), o.steps()));
        networks.add(PretextBench.fixedBatch(p, o.warmup(), o.steps()));
      }
    }
    List<PretextBench.Result> pretext = new ArrayList<>();
    if (o.pretextSteps() > 0) {
      for (Precision p : o.precisions()) {
        progress.accept(String.format("%s %s: %d warm-up + %d timed pretraining steps", PretextBench.NAME, p.label(),
            o.warmup(), o.pretextSteps()));
        pretext.add(PretextBench.run(p, o.warmup(), o.pretextSteps()));
      }
    }
    NetworkConfig demo = NetworkConfig.named("demo2d");
    LoaderOverlap loader = null;
    if (o.loaderSteps() > 0) {
      progress.accept("loader overlap: " + o.loaderSteps() + " steps with the real loader and as many on pre-built tensors");
      loader = LoaderOverlap.measure(demo, o.pipelinePrecision(), o.warmup(), o.loaderSteps());
    }
    MemoryTrace memory = null;
    if (o.memorySteps() > 0) {
      progress.accept("memory: " + o.memorySteps() + " training steps");
      memory = MemoryTrace.measure(demo, o.pipelinePrecision(), o.memorySteps());
    }
    NiftiDecode nifti = null;
    if (!o.niftiFiles().isEmpty()) {
      progress.accept("nifti: decoding " + o.niftiFiles().size() + " file(s) " + o.niftiRepeats() + " times each");
      nifti = NiftiDecode.measure(o.niftiFiles(), o.niftiRepeats());
    }
    return new BenchReport(Version.current(), Engine.libtorchVersion() + ", kernels " + Engine.config().name(),
        Engine.threads(), Engine.openmpWait(),
        cpuModel(), load, networks, pretext, loader, memory, nifti, List.of());
  }

  private static String loadAverage() {
    String[] parts = firstLine(Path.of("/proc/loadavg"), "").split(" ");
    return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : "unknown";
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    } catch (IOException | RuntimeException e) {
      return "unknown CPU";
    }
  }

  private static String firstLine(Path p, String fallback) {
    try {
      return Files.readAllLines(p).get(0);
    } catch (IOException | RuntimeException e) {
      return fallback;
    }
  }
}
