package org.medssl.cli;

import org.medssl.tensor.Distributed;
import org.medssl.tensor.Engine;
import org.medssl.tensor.Precision;
import picocli.CommandLine.Option;

/** Options shared by every command that runs a network. */
final class EngineOptions {
  @Option(names = "--precision", defaultValue = "auto", paramLabel = "auto|fp32|bf16",
      description = "Forward-pass precision; auto = bf16 autocast where the self-check found it correct and faster "
          + "than fp32 on this CPU (default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads; 0 = all available cores.")
  int threads;

  /**
   * Joins the data-parallel group the environment describes ({@code medssl launch}, torchrun) and
   * says so; false when this process trains alone. Call after {@link #start}.
   */
  static boolean joinGroup(int batch) {
    return Distributed.joinFromEnvironment().map(g -> {
      System.out.printf("data-parallel: rank %d of %d, batch %d per rank (%d per step in all)%n", g.rank(), g.world(),
          batch, batch * g.world());
      return true;
    }).orElse(false);
  }

  /** Loads the engine, says which configuration runs and why, and returns the resolved precision. */
  Precision start() {
    if (Engine.cachedVerdict(threads).isEmpty() && System.getenv("MEDSSL_ENGINE") == null) {
      System.out.println("engine: first run with this CPU, library and thread count: checking every op against double"
          + " precision (about 20 s)...");
    }
    Engine.init(threads);
    System.out.println(Engine.choice().logLine());
    return Precision.parse(precision);
  }
}
