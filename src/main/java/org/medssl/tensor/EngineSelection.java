package org.medssl.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.medssl.tensor.SelfCheck.Layout;

/**
 * Runs the self-check over {@link EngineConfig#CANDIDATES} and decides: the first candidate whose
 * fp32 checks all pass is chosen (the list is in the order of the speeds measured in the README's
 * Performance section); candidates that need a different oneDNN instruction-set cap are checked in
 * a child JVM started with it.
 */
final class EngineSelection {
  static final int DRAWS = 3;
  private static final long SEED = 20261205L;
  private static final int CHILD_TIMEOUT_MINUTES = 10;

  private EngineSelection() {}

  /** Checks candidates until one passes in fp32 and returns the verdict (not cached here). */
  static EngineVerdict select(CpuSignature signature, int threads, List<Layout> layouts) {
    return decide(signature, config -> evaluate(config, threads, layouts), Precision.hardwareBf16());
  }

  /**
   * The decision, given how to check a configuration: candidates in order until one passes every
   * fp32 check (or, when none does, the one with the fewest failures); bf16 for auto precision
   * only on a CPU with bf16 instructions where the chosen candidate passes every bf16 check and
   * ran bf16 at least {@link EngineVerdict#BF16_MIN_SPEEDUP}x faster.
   */
  static EngineVerdict decide(CpuSignature signature, Function<EngineConfig, CandidateResult> check,
      boolean hardwareBf16) {
    List<CandidateResult> tried = new ArrayList<>();
    CandidateResult chosen = null;
    for (EngineConfig config : EngineConfig.CANDIDATES) {
      CandidateResult result = check.apply(config);
      tried.add(result);
      if (result.passes(Precision.FP32)) {
        chosen = result;
        break;
      }
    }
    if (chosen == null) { // nothing is right everywhere: run where the fewest ops are wrong, and say so
      chosen = tried.stream().min(Comparator.comparingInt(r -> r.error() != null ? Integer.MAX_VALUE
          : r.failures(Precision.FP32).size())).orElseThrow();
    }
    if (!EngineConfig.named(chosen.config()).inProcess() && tried.stream().noneMatch(r -> inProcessPass(r))
        && tried.stream().noneMatch(r -> r.config().equals(EngineConfig.NATIVE.name()))) {
      tried.add(check.apply(EngineConfig.NATIVE)); // the fallback of processes that cannot restart: checked too
    }
    EngineConfig fallback = inProcessFallback(chosen, tried);
    boolean bf16 = hardwareBf16 && chosen.passes(Precision.BF16)
        && chosen.bf16Speedup() >= EngineVerdict.BF16_MIN_SPEEDUP;
    return new EngineVerdict(signature.key(), signature.cpu(), Engine.libtorchVersion(), Instant.now().toString(),
        chosen.config(), fallback.name(), bf16, chosen.bf16Speedup(), reason(tried, chosen, bf16, hardwareBf16),
        List.copyOf(tried));
  }

  /** Checks one configuration: in this process when it can run here, else in a child JVM. */
  static CandidateResult evaluate(EngineConfig config, int threads, List<Layout> layouts) {
    return Engine.canRunHere(config) ? evaluateHere(config, layouts) : evaluateInChild(config, threads, layouts);
  }

  static CandidateResult evaluateHere(EngineConfig config, List<Layout> layouts) {
    long start = System.nanoTime();
    List<Precision> precisions = Precision.hardwareBf16() ? List.of(Precision.FP32, Precision.BF16)
        : List.of(Precision.FP32);
    List<CheckRow> rows = new SelfCheck(DRAWS, SEED).run(config, OpProbes.all(), precisions, layouts);
    CandidateResult partial = new CandidateResult(config.name(), rows, Double.NaN, 0, null);
    double speedup = Double.NaN;
    if (partial.passes(Precision.FP32) && partial.passes(Precision.BF16)) {
      EngineConfig before = Engine.config();
      Engine.use(config);
      try {
        speedup = SpeedProbe.bf16Speedup();
      } finally {
        Engine.use(before);
      }
    }
    return new CandidateResult(config.name(), rows, speedup, (System.nanoTime() - start) / 1e9, null);
  }

  /** A configuration this process can switch to when {@code chosen} needs a restart it cannot have. */
  private static EngineConfig inProcessFallback(CandidateResult chosen, List<CandidateResult> tried) {
    EngineConfig config = EngineConfig.named(chosen.config());
    if (config.inProcess()) {
      return config;
    }
    return tried.stream().filter(EngineSelection::inProcessPass).map(r -> EngineConfig.named(r.config())).findFirst()
        .orElse(EngineConfig.NATIVE);
  }

  private static boolean inProcessPass(CandidateResult r) {
    return EngineConfig.named(r.config()).inProcess() && r.passes(Precision.FP32);
  }

  private static String reason(List<CandidateResult> tried, CandidateResult chosen, boolean bf16,
      boolean hardwareBf16) {
    String precision = bf16 ? String.format("bf16 %.2fx faster than fp32", chosen.bf16Speedup())
        : !hardwareBf16 ? "no bf16 instructions"
        : !chosen.passes(Precision.BF16) ? "bf16 " + chosen.describe(Precision.BF16)
        : String.format("bf16 only %.2fx faster than fp32", chosen.bf16Speedup());
    String auto = "auto precision " + (bf16 ? "bf16" : "fp32") + " (" + precision + ")";
    if (!chosen.passes(Precision.FP32)) {
      return "NO configuration computes every op right on this CPU; running " + chosen.config() + " where "
          + chosen.describe(Precision.FP32) + "; " + auto;
    }
    CandidateResult first = tried.get(0);
    if (first == chosen) {
      return first.describe(Precision.FP32) + "; " + auto;
    }
    return EngineConfig.named(first.config()).summary() + " is wrong here: " + first.describe(Precision.FP32) + "; "
        + chosen.config() + " passes all; " + auto;
  }

  /** Runs {@link CandidateCheck} in a child JVM with the configuration's environment. */
  private static CandidateResult evaluateInChild(EngineConfig config, int threads, List<Layout> layouts) {
    Path result = null;
    Path errors = null;
    try {
      result = Files.createTempFile("medssl-check", ".json");
      errors = Files.createTempFile("medssl-check", ".log");
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx1g", "-cp", System.getProperty("java.class.path")));
      String natives = System.getProperty("org.bytedeco.javacpp.cachedir");
      if (natives != null) {
        command.add("-Dorg.bytedeco.javacpp.cachedir=" + natives);
      }
      command.addAll(List.of(CandidateCheck.class.getName(), config.name(), Integer.toString(threads),
          layouts.stream().map(Layout::name).collect(Collectors.joining(",")), result.toString()));
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(errors.toFile());
      builder.environment().putAll(Engine.environmentFor(config));
      Process child = builder.start();
      if (!child.waitFor(CHILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        child.destroyForcibly();
        return failed(config, "the check in a child JVM with " + Engine.environmentFor(config) + " took over "
            + CHILD_TIMEOUT_MINUTES + " min");
      }
      if (child.exitValue() != 0) {
        List<String> log = Files.readAllLines(errors);
        return failed(config, "the check in a child JVM with " + Engine.environmentFor(config) + " exited with "
            + child.exitValue() + (log.isEmpty() ? "" : ": " + log.get(log.size() - 1)));
      }
      return VerdictCache.JSON.readValue(result.toFile(), CandidateResult.class);
    } catch (IOException e) {
      return failed(config, "could not run a child JVM: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(config, "interrupted");
    } finally {
      deleteQuietly(result);
      deleteQuietly(errors);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      if (file != null) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // a temporary file in the system's temporary directory: nothing depends on it
    }
  }

  private static CandidateResult failed(EngineConfig config, String why) {
    return new CandidateResult(config.name(), List.of(), Double.NaN, 0, why);
  }
}
