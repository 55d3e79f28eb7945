package org.medssl.tensor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.medssl.tensor.SelfCheck.Layout;

/**
 * The self-check of one configuration in a JVM of its own, started by {@link EngineSelection} with
 * the environment the configuration needs before libtorch loads (an instruction-set cap). Writes
 * the {@link CandidateResult} as JSON to the file it is given.
 */
final class CandidateCheck {
  private CandidateCheck() {}

  /** Arguments: configuration name, thread count, layouts (comma-separated {@link Layout} names), result file. */
  public static void main(String[] args) throws Exception {
    EngineConfig config = EngineConfig.named(args[0]);
    Engine.loadWithThreads(Integer.parseInt(args[1]));
    List<Layout> layouts = Arrays.stream(args[2].split(",")).map(Layout::valueOf).toList();
    CandidateResult result = EngineSelection.evaluateHere(config, layouts);
    VerdictCache.JSON.writeValue(Path.of(args[3]).toFile(), result);
    System.exit(0);
  }
}
