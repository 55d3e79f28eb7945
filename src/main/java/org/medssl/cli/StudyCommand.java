package org.medssl.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.medssl.MedsslException;
import org.medssl.study.store.PretrainedCache;
import org.medssl.study.Study;
import org.medssl.study.plan.Shard;
import org.medssl.study.config.StudyConfig;
import org.medssl.study.StudyProgress;
import org.medssl.study.config.StudyYaml;
import org.medssl.study.report.SummaryText;
import org.medssl.tensor.Engine;
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

  @Option(names = "--shard", paramLabel = "I/N", description = "Run only this share of the cells (job-array style:"
      + " cells I, I+N, ...), into the same --out as the other shards, which may run at the same time on machines that"
      + " share it; then --report-only once all are done writes the whole report.")
  String shard;

  @Mixin
  EngineOptions engine;

  @Mixin
  CacheOptions cache;

  @Mixin
  WorkerOptions workers;

  @Override
  public Integer call() {
    StudyConfig c = StudyYaml.read(config);
    List<String> command = new ArrayList<>(List.of("study", "--config", config.toAbsolutePath().toString(), "--out",
        out.toAbsolutePath().toString()));
    Shard share = shard == null ? Shard.ALL : Shard.parse(shard);
    if (shard != null) {
      command.addAll(List.of("--shard", share.toString()));
    }
    run(c, out, engine, cache, workers.with(command, retryFailed, cache), reportOnly, retryFailed, share);
    return 0;
  }

  /** Several processes on one study: {@code --workers} in the parent, {@code --worker} in each child. */
  static final class WorkerOptions {
    @Option(names = "--workers", defaultValue = "1", description = "Processes that run cells side by side, the"
        + " cores split between them (small networks do not keep two cores busy in one process: 1.4x the cells per"
        + " hour on 2 cores with 2); other machines may join on a shared --out with the same command"
        + " (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--worker", hidden = true, description = "Run as one worker of a parent process: cells only,"
        + " no outputs.")
    boolean worker;

    private List<String> command = List.of();

    /** Remembers the subcommand a worker runs, with the options it must share with the parent. */
    WorkerOptions with(List<String> subcommand, boolean retryFailed, CacheOptions cache) {
      List<String> c = new ArrayList<>(subcommand);
      if (retryFailed) {
        c.add("--retry-failed");
      }
      c.addAll(cache.arguments());
      command = List.copyOf(c);
      if (count < 1) {
        throw new MedsslException("--workers: expected 1 or more, got " + count);
      }
      return this;
    }
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

    /** These options as command-line arguments, for a worker process. */
    List<String> arguments() {
      if (off) {
        return List.of("--no-pretraining-cache");
      }
      return dir == null ? List.of() : List.of("--pretraining-cache", dir.toAbsolutePath().toString());
    }

    /** The cache, or null when it is off or this build cannot be fingerprinted (then said once). */
    PretrainedCache resolve() {
      Optional<Path> where = off ? Optional.empty() : dir != null ? Optional.of(dir) : PretrainedCache.defaultDir();
      return where.map(d -> PretrainedCache.forThisBuild(d).orElseGet(() -> {
        System.out.println("warning: cannot read medssl's classes to fingerprint this build; the pretraining cache is"
            + " off (no pretraining is taken from it or stored in it)");
        return null;
      })).orElse(null);
    }
  }

  /**
   * Runs a study and prints its summary; shared with {@code demo}. A study whose every cell failed
   * is an error (exit 2) after its report is written; when most failed, the summary says so first.
   */
  static Study.Outcome run(StudyConfig c, Path out, EngineOptions engine, CacheOptions cache, WorkerOptions workers,
      boolean reportOnly, boolean retryFailed) {
    return run(c, out, engine, cache, workers, reportOnly, retryFailed, Shard.ALL);
  }

  /** @param shard the share of the cells this process runs (and, with workers, they) */
  static Study.Outcome run(StudyConfig c, Path out, EngineOptions engine, CacheOptions cache, WorkerOptions workers,
      boolean reportOnly, boolean retryFailed, Shard shard) {
    engine.start();
    Precision precision = c.precision(engine.precision);
    if (workers.worker) { // failed cells are the parent's to report, after every worker is done
      StudyWorkers.exitWithParent();
      return new Study(c, out, precision, new ProgressLines(System.out::println, System::nanoTime), retryFailed,
          cache.resolve()).inShard(shard).run(Study.Mode.WORKER, System.out::println);
    }
    Study study = new Study(c, out, precision, new Bars(), retryFailed, cache.resolve()).inShard(shard);
    Study.Mode mode = reportOnly ? Study.Mode.REPORT_ONLY : Study.Mode.FULL;
    if (workers.count > 1 && !reportOnly) {
      study.run(Study.Mode.PREPARE_ONLY, System.out::println);
      int each = StudyWorkers.threadsEach(Engine.threads(), workers.count);
      System.out.printf("running the cells in %d worker processes with %d thread(s) each%n", workers.count, each);
      StudyWorkers.run(workers.command, out, workers.count, each, precision);
      mode = Study.Mode.AFTER_WORKERS;
    }
    Study.Outcome o = study.run(mode, System.out::println);
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
