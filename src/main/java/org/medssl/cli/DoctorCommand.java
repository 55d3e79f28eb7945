package org.medssl.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.medssl.tensor.DoctorReport;
import org.medssl.tensor.Engine;
import org.medssl.tensor.EngineVerdict;
import org.medssl.tensor.Precision;
import org.medssl.tensor.VerdictCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code medssl doctor}: does this CPU compute every op right, and how medssl runs here. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = {"Check every op medssl's networks use against double precision on this CPU, in fp32 and bf16, "
        + "channels-first and channels-last, and show which engine configuration runs and why.",
        "The verdict is cached per CPU and library version; --recheck runs the check again."})
final class DoctorCommand implements Callable<Integer> {
  @Option(names = "--recheck", description = "Run the self-check again and replace the cached verdict.")
  boolean recheck;

  @Option(names = "--all", description = "Print every tried configuration's full table, not only its failing rows.")
  boolean all;

  @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads; 0 = all available cores.")
  int threads;

  @Override
  public Integer call() {
    Optional<EngineVerdict> cached = Engine.cachedVerdict(threads).filter(EngineVerdict::hasChannelsLastRows);
    EngineVerdict verdict;
    if (recheck || cached.isEmpty()) {
      System.err.println("medssl: running the self-check on the candidate configurations (about a minute on 2 cores)...");
      verdict = Engine.recheck(threads);
    } else {
      Engine.init(threads);
      verdict = cached.get();
    }
    System.out.print(DoctorReport.render(verdict, Engine.config(), all));
    System.out.println("cached in " + VerdictCache.standard().file());
    return verdict.candidate(verdict.chosen()).map(c -> c.passes(Precision.FP32)).orElse(false) ? 0 : 1;
  }
}
