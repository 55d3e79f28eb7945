package org.medssl.cli;

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
