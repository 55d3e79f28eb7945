package org.medssl.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.medssl.MedsslException;
import org.medssl.study.PretrainedCache;
import org.medssl.study.Study;
import org.medssl.study.StudyConfig;
import org.medssl.study.StudyProgress;
import org.medssl.study.StudyYaml;
import org.medssl.study.SummaryText;
import org.medssl.tensor.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code medssl study}: run a label-efficiency study from a YAML config, resumably. */
@Command(name = "study", mixinStandardHelpOptions = true,
    description = {"Run a label-efficiency study (initialisations x labeled budgets x seeds, plus a fully supervised"
        + " reference) from a YAML config. Re-running the same command resumes: finished cells and pretrainings are"
        + " skipped. Writes results.csv, summary.csv, learning curves, plots and report.html into --out."})
final class StudyCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "Study config (YAML), e.g. studies/phantom-full.yaml.")
  Path config;

  @Option(names = "--out", required = true, description = "Study directory (created; reused to resume).")
  Path out;

  @Option(names = "--report-only", description = "Run nothing; regenerate the tables, plots and report from the finished cells.")
  boolean reportOnly;

  @Option(names = "--retry-failed", description = "Run cells again that failed (diverged) before under the same"
      + " engine configuration and precision; without it they are skipped (a change of either retries them anyway).")
  boolean retryFailed;

  @Mixin
  EngineOptions engine;

  @Mixin
  CacheOptions cache;

  @Override
  public Integer call() {
    StudyConfig c = StudyYaml.read(config);
    run(c, out, engine, cache, reportOnly, retryFailed);
    return 0;
  }

  /** Where finished pretrainings are shared between studies. */
  static final class CacheOptions {
    @Option(names = "--no-pretraining-cache", description = "Neither reuse pretrained models from the cache shared"
        + " between studies nor store new ones there.")
    boolean off;

    @Option(names = "--pretraining-cache", paramLabel = "DIR", description = "The cache of pretrained models shared"
        + " between studies (default: $MEDSSL_PRETRAINED_CACHE, off disables it; else $MEDSSL_CACHE_DIR/pretrained;"
        + " else ~/.cache/medssl/pretrained).")
    Path dir;

    PretrainedCache resolve() {
      if (off) {
        return null;
      }
      return dir != null ? new PretrainedCache(dir) : PretrainedCache.standard().orElse(null);
    }
  }

  /**
   * Runs a study and prints its summary; shared with {@code demo}. A study whose every cell failed
   * is an error (exit 2) after its report is written; when most failed, the summary says so first.
   */
  static Study.Outcome run(StudyConfig c, Path out, EngineOptions engine, CacheOptions cache, boolean reportOnly,
      boolean retryFailed) {
    engine.start();
    Precision precision = c.precision(engine.precision);
    Study.Outcome o = new Study(c, out, precision, new Bars(), retryFailed, cache.resolve())
        .run(reportOnly, System.out::println);
    if (o.allFailed()) {
      throw new MedsslException(o.warning() + "; report " + o.report());
    }
    System.out.println();
    if (o.warning() != null) {
      System.out.println("WARNING: " + o.warning());
    }
    System.out.print(SummaryText.format(o.summary(), o.paired(), o.curves()));
    System.out.printf("%nreport: %s%n", o.report());
    return o;
  }

  /** One progress bar on stderr per pretraining or fine-tuning. */
  static final class Bars implements StudyProgress {
    private Progress.Bar bar;

    @Override
    public void begin(String task, int total) {
      bar = Progress.bar(task, total, "steps");
    }

    @Override
    public void step(int done, String message) {
      bar.stepTo(done);
      bar.setExtraMessage(" " + message);
    }

    @Override
    public void end() {
      bar.close();
    }
  }
}
