package org.medssl.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one {@code medssl bench} run measured, with the context needed to trust it: versions,
 * threads and how idle OpenMP threads wait, the machine's load average when it started. Parts not
 * run are null.
 */
public record BenchReport(String medssl, String engine, int threads, String openmpWait, String cpu,
    String loadAverageAtStart,
    List<NetworkResult> networks, List<PretextBench.Result> pretext, LoaderOverlap loader, MemoryTrace memory,
    NiftiDecode nifti, List<String> notes) {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public BenchReport {
    networks = List.copyOf(networks);
    pretext = List.copyOf(pretext);
    notes = List.copyOf(notes);
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not serialise the benchmark report", e);
    }
  }

  /** Human-readable lines: one table row per configuration and precision, then the other parts. */
  public List<String> summary() {
    List<String> out = new ArrayList<>();
    out.add(String.format("%s, %s, %d threads (%s), %s, load average at start %s", medssl, engine, threads,
        openmpWait, cpu, loadAverageAtStart));
    if (!networks.isEmpty()) {
      out.add(String.format("%-8s %-5s %-16s %10s %12s %14s %12s %14s %10s %10s", "config", "prec", "batch", "params",
          "train ms", "train samp/s", "infer ms", "infer samp/s", "start MB", "peak MB"));
    }
    for (NetworkResult r : networks) {
      out.add(String.format("%-8s %-5s %-16s %10d %12.1f %14.2f %12.1f %14.2f %10.0f %10.0f", r.config(), r.precision(),
          r.batch(), r.parameters(), r.trainMs().median(), r.trainSamplesPerSecond(), r.inferMs().median(),
          r.inferSamplesPerSecond(), r.startRssMb(), r.peakRssMb()));
    }
    for (PretextBench.Result r : pretext) {
      out.add(String.format("%-8s %-5s %-16s %10d %12.1f %14.2f  (pretraining step: two views, online + EMA target;"
          + " views/s)", r.config(), r.precision(), r.batch(), r.parameters(), r.stepMs().median(), r.viewsPerSecond()));
    }
    if (loader != null) {
      out.add(String.format("loader overlap (%s, %s): one batch alone %s; step on pre-built tensors %s, "
          + "with the real loader %s: %+.1f %%", loader.config(), loader.precision(), loader.batchMs(),
          loader.prebuiltMs(), loader.loaderMs(), loader.overheadPercent()));
    }
    if (memory != null) {
      out.add(String.format("memory (%s, %s, %d steps): RSS %.0f MB at step %d, max %.0f MB after it, drift %+.1f %%",
          memory.config(), memory.precision(), memory.steps(), memory.baselineMb(),
          memory.baselineStep(), memory.maxMb(), memory.driftPercent()));
    }
    if (nifti != null) {
      for (NiftiDecode.FileResult f : nifti.files()) {
        out.add(String.format("nifti %s (%s, %.2f Mvox): %s, %.1f Mvox/s", f.file(), f.shape(), f.megavoxels(),
            f.readMs(), f.megavoxelsPerSecond()));
      }
    }
    notes.forEach(n -> out.add("note: " + n));
    return out;
  }
}
