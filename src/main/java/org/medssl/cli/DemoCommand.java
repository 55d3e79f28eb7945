package org.medssl.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.medssl.study.config.StudyYaml;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code medssl demo}: the built-in label-efficiency study on phantom data, i.e. {@code medssl
 * study} with the config shipped as {@code studies/demo.yaml}: random init against every
 * pretraining method on version-2 phantoms, 1, 2 and 4 labeled subjects, 2 seeds, the fully
 * supervised reference, paired differences to random init and the noise floor.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the built-in study on generated phantoms (45 labeled + 60 unlabeled subjects, version 2):"
        + " random init vs each pretraining method (one epoch of the unlabeled pool each), 1/2/4 labeled subjects,"
        + " 2 seeds, the fully supervised reference, paired differences with 95 %% intervals. 15-30 minutes on 2"
        + " cores; re-running resumes. Prints the summary and the path of report.html."})
final class DemoCommand implements Callable<Integer> {
  static final String CONFIG = "studies/demo.yaml";

  @Option(names = "--out", defaultValue = "runs/demo", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--retry-failed", description = "Run cells again that failed before under the same engine"
      + " configuration and precision.")
  boolean retryFailed;

  @Mixin
  EngineOptions engine;

  @Mixin
  StudyCommand.CacheOptions cache;

  @Mixin
  StudyCommand.WorkerOptions workers;

  @Override
  public Integer call() {
    StudyCommand.run(StudyYaml.resource(CONFIG), out, engine, cache,
        workers.with(List.of("demo", "--out", out.toAbsolutePath().toString()), retryFailed, cache), false, retryFailed);
    return 0;
  }
}
