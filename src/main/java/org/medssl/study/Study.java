package org.medssl.study;

import org.medssl.study.plan.Cell;
import org.medssl.study.store.CellFailure;
import org.medssl.study.store.CellResult;
import org.medssl.study.store.CellStore;
import org.medssl.study.report.CurveStats;
import org.medssl.study.plan.Fingerprint;
import org.medssl.study.store.LearningRateTuning;
import org.medssl.study.report.NoiseFloor;
import org.medssl.study.report.PairedDifference;
import org.medssl.study.store.PretrainedCache;
import org.medssl.study.plan.Pretraining;
import org.medssl.study.plan.Shard;
import org.medssl.study.store.PretrainingRecord;
import org.medssl.study.store.PretrainingStore;
import org.medssl.study.config.StudyConfig;
import org.medssl.study.store.StudyLocks;
import org.medssl.study.report.StudyOutputs;
import org.medssl.study.plan.StudyPlan;
import org.medssl.study.report.SummaryRow;
import org.medssl.study.store.TestMetrics;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.medssl.MedsslException;
import org.medssl.data.DatasetCheck;
import org.medssl.io.AtomicFiles;
import org.medssl.seg.Evaluation;
import org.medssl.seg.FineTuneConfig;
import org.medssl.seg.FineTuneJob;
import org.medssl.seg.FineTuneListener;
import org.medssl.train.Checkpointer;
import org.medssl.train.StepEvent;
import org.medssl.train.TrainingListener;
import org.medssl.Version;
import org.medssl.ssl.PretrainJob;
import org.medssl.ssl.PretrainResult;
import org.medssl.tensor.Engine;
import org.medssl.tensor.Precision;
import org.medssl.tensor.TrainingDiverged;

/**
 * Runs a study in a directory, resumably: finished cells and pretrainings (same settings, by
 * fingerprint) are skipped, each new one is written atomically as soon as it finishes, and all
 * tables, plots and the report are regenerated from the stored cells at the end of every run.
 * The engine must be started before {@link #run}.
 */
public final class Study {

  /** A study resumes what it finds: a pretraining or cell killed mid-way continues from its checkpoint. */
  private static final Checkpointer.Policy RESUME = Checkpointer.Policy.resumeWhatIsThere();

  /**
   * What a run left behind.
   *
   * @param warning the headline when most cells failed ({@link CellFailure#headline}), or null
   */
  public record Outcome(Path report, StudyPlan plan, List<SummaryRow> summary, List<PairedDifference> paired,
      List<CurveStats.Method> curves, int cellsRun, int cellsSkipped, int cellsFailed, int cellsMissing, double seconds, String warning) {

    /** True when there were cells and every one of them failed. */
    public boolean allFailed() {
      return cellsFailed > 0 && cellsFailed == plan.cells().size();
    }
  }

  private final StudyConfig config;
  private final Path out;
  private final Precision precision;
  private final boolean retryFailed;
  private final StudyProgress progress;
  private final CellStore cells;
  private final PretrainingStore pretrained;
  private final Map<String, PretrainingRecord> pretrainDone = new LinkedHashMap<>();
  /** Pretrainings that diverged in this run: their cells fail without training them again. */
  private final Map<String, TrainingDiverged> pretrainFailed = new LinkedHashMap<>();
  /** Pretrained models shared with other studies, or null. */
  private final PretrainedCache cache;
  private final StudyLocks locks;
  private Shard shard = Shard.ALL;
  /** When this process began: failures recorded since are this run's, not to be retried by it. */
  private final Instant startedAt;
  private Consumer<String> log;

  /** What one process does with the study directory. */
  public enum Mode {
    /** Run the missing pretrainings and cells, the noise floor, then write every output. */
    FULL,
    /** Run nothing; regenerate the outputs from the finished cells. */
    REPORT_ONLY,
    /** Prepare the dataset and the plan only: what a parent does before it starts workers. */
    PREPARE_ONLY,
    /**
     * A worker among others on the same directory: run the cells and pretrainings no other process
     * holds, no noise floor, no outputs (the parent writes them once every worker is done).
     */
    WORKER,
    /** The parent once its workers are done: no cells (each was theirs), the noise floor, every output. */
    AFTER_WORKERS
  }

  /** @param retryFailed run cells again that failed under the same conditions (they are skipped otherwise) */
  public Study(StudyConfig config, Path out, Precision precision, StudyProgress progress, boolean retryFailed) {
    this(config, out, precision, progress, retryFailed, null);
  }

  /** @param cache where finished pretrainings are looked up before running and stored after; null for none */
  public Study(StudyConfig config, Path out, Precision precision, StudyProgress progress, boolean retryFailed,
      PretrainedCache cache) {
    this.cache = cache;
    this.config = config;
    this.retryFailed = retryFailed;
    this.out = out.toAbsolutePath().normalize();
    this.precision = precision;
    this.progress = progress;
    this.cells = new CellStore(this.out);
    this.pretrained = new PretrainingStore(this.out);
    this.locks = new StudyLocks(this.out);
    this.startedAt = Instant.now();
  }

  /** Runs only this shard's cells (the pretrainings they need are shared with the other shards). */
  public Study inShard(Shard s) {
    this.shard = s;
    return this;
  }

  /**
   * Runs the missing cells (unless {@code reportOnly}), then regenerates every output.
   *
   * @param console where log lines go besides {@code <out>/study.log}
   */
  public Outcome run(boolean reportOnly, Consumer<String> console) {
    return run(reportOnly ? Mode.REPORT_ONLY : Mode.FULL, console);
  }

  /**
   * Runs the study in {@code mode}; the outcome of {@link Mode#PREPARE_ONLY} and {@link Mode#WORKER}
   * holds the plan and counts only.
   */
  public Outcome run(Mode mode, Consumer<String> console) {
    long start = System.nanoTime();
    createDirectories(out);
    try (StudyLocks.Claim session = locks.join(this::removeStaleTempFiles);
         BufferedWriter file = Files.newBufferedWriter(out.resolve("study.log"), StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      log = line -> {
        console.accept(line);
        appendLine(file, line);
      };
      return runLogged(mode, start);
    } catch (IOException e) {
      throw new MedsslException(out.resolve("study.log") + ": cannot write: " + e.getMessage(), e);
    }
  }

  private Outcome runLogged(Mode mode, long start) {
    log.accept(String.format("study %s (%s), medssl %s, %s precision, engine %s, %d thread(s)%s, output %s",
        config.name(), config.source(), Version.build(), precision.label(), Engine.config().name(), Engine.threads(),
        mode == Mode.WORKER ? ", as a worker" : "", out));
    Path data;
    try (StudyLocks.Claim c = locks.claim("dataset")) { // one process generates a built-in dataset, others wait
      AtomicFiles.writeString(out.resolve("study.yaml"), config.text());
      data = config.dataset().prepare(out, log);
    }
    StudyPlan plan = StudyPlan.of(config, data, config.dataset().open(data), precision);
    if (mode == Mode.FULL || mode == Mode.PREPARE_ONLY) { // every voxel once, before hours of cells trust them
      DatasetCheck.beforeTraining(plan.spec(), DatasetCheck.Depth.FULL, log);
    }
    if (mode != Mode.WORKER) {
      log.accept(describe(plan));
      plan.pretrainings().values().forEach(p -> log.accept(String.format(java.util.Locale.ROOT,
          "  %s: pretraining budget %s, seed %d%s", p.label(), p.budget(), p.seed(), momentum(p))));
    }
    if (mode == Mode.PREPARE_ONLY || mode == Mode.WORKER) {
      int[] counts = mode == Mode.WORKER ? runCells(plan) : new int[3];
      return new Outcome(null, plan, List.of(), List.of(), List.of(), counts[0], counts[1], counts[2], 0,
          (System.nanoTime() - start) / 1e9, null);
    }
    boolean reportOnly = mode == Mode.REPORT_ONLY;
    int[] counts = mode == Mode.FULL ? runCells(plan) : new int[3];
    List<CellResult> results = finishedResults(plan);
    Optional<NoiseFloor> noise = noiseFloor(plan, results, reportOnly);
    List<CellFailure> failures = failures(plan);
    int missing = plan.cells().size() - results.size() - failures.size();
    if (missing > 0) {
      log.accept(missing + " of " + plan.cells().size() + " cells have no result yet; the outputs show the finished ones");
    }
    StudyOutputs outputs = new StudyOutputs(plan, out, Fingerprint.of(config.text()), log);
    StudyOutputs.Written w = outputs.write(results, failures, pretrainingRecords(plan), noise);
    tuningSummary(results).ifPresent(log);
    if (!failures.isEmpty()) {
      log.accept(failures.size() + " cell(s) failed; see failures.csv");
    }
    String warning = CellFailure.headline(plan.cells().size(), results.size(), failures).orElse(null);
    if (warning != null) {
      log.accept("WARNING: " + warning);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    log.accept(mode == Mode.AFTER_WORKERS
        ? String.format("study finished in %.1f min: %d cells finished, %d failed (run by the workers); report %s",
            seconds / 60, results.size(), failures.size(), w.report())
        : String.format("study finished in %.1f min: %d cells run, %d failed, %d skipped; report %s",
            seconds / 60, counts[0], counts[2], counts[1], w.report()));
    return new Outcome(w.report(), plan, w.summary(), w.paired(), w.curves(), counts[0], counts[1], failures.size(), missing,
        seconds, warning);
  }

  private String describe(StudyPlan plan) {
    long refs = plan.cells().stream().filter(Cell::isReference).count();
    return String.format("plan: %d cells (%d methods x budgets %s x %d seeds%s), %d pretraining(s); data %s: %d training"
        + " subjects, labeled pool %d (after %d validation), %d test, %d unlabeled", plan.cells().size(),
        plan.methods().size() - (config.reference() ? 1 : 0), plan.budgets(), config.seeds().size(),
        refs > 0 ? " + " + refs + " reference cells with " + plan.pool() + " labeled" : "", plan.pretrainings().size(),
        plan.dataDir(), plan.spec().trainingSubjects().size(), plan.pool(), plan.spec().trainingSubjects().size() - plan.pool(),
        plan.spec().test().size(), plan.spec().unlabeled().size());
  }

  /** One line: how often each method's cells chose each candidate learning rate, e.g. {@code random {0.005=2}}. */
  static Optional<String> tuningSummary(List<CellResult> results) {
    Map<String, Map<Double, Integer>> chosen = new LinkedHashMap<>();
    for (CellResult r : results) {
      r.chosenLearningRate().ifPresent(lr -> chosen.computeIfAbsent(r.cell().method(), m -> new java.util.TreeMap<>())
          .merge(lr, 1, Integer::sum));
    }
    if (chosen.isEmpty()) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    chosen.forEach((method, counts) -> parts.add(method + " " + counts));
    return Optional.of("learning rates chosen by validation Dice (rate=cells): " + String.join(", ", parts));
  }

  /** The EMA start of a momentum method's pretraining, for the plan's lines. */
  private static String momentum(Pretraining p) {
    return org.medssl.ssl.PretextMethods.hasEmaTarget(p.method())
        ? ", EMA tau0 " + org.medssl.ssl.PretextMethods.tau(p.method(), p.settings().options(), p.steps()) : "";
  }

  /**
   * Runs the cells no other process holds, in plan order; returns {run, skipped, failed}. A cell
   * whose pretraining another process is running waits for a second pass, so a worker never idles
   * while there is work it can take.
   */
  private int[] runCells(StudyPlan plan) {
    int[] counts = new int[3];
    List<Cell> all = plan.cells();
    List<Integer> waiting = new ArrayList<>();
    if (!shard.isAll()) {
      log.accept(String.format("shard %s: cells %d, %d, ... of the plan's %d (one in %d)", shard, shard.index() + 1,
          shard.index() + 1 + shard.count(), all.size(), shard.count()));
    }
    for (int i = 0; i < all.size(); i++) {
      if (!shard.owns(i)) {
        continue;
      }
      if (!tryCell(plan, i, counts, false)) {
        waiting.add(i);
      }
    }
    for (int i : waiting) {
      tryCell(plan, i, counts, true);
    }
    return counts;
  }

  /**
   * Runs the plan's cell number {@code index} unless it is finished, failed before, or held by
   * another process (each counted as skipped). Returns false, running nothing, when
   * {@code waitForPretraining} is off and another process holds the cell's pretraining.
   */
  private boolean tryCell(StudyPlan plan, int index, int[] counts, boolean waitForPretraining) {
    Cell cell = plan.cells().get(index);
    String settings = plan.describe(cell);
    String fingerprint = Fingerprint.of(settings);
    if (cells.finished(cell, fingerprint).isPresent()) {
      log.accept("skipping finished cell " + cell.key());
      counts[1]++;
      return true;
    }
    Optional<StudyLocks.Claim> claim = locks.tryClaim("cell-" + cell.key());
    if (claim.isEmpty()) {
      log.accept("skipping cell " + cell.key() + ": another process is running it");
      counts[1]++;
      return true;
    }
    try (StudyLocks.Claim held = claim.get()) {
      if (cells.finished(cell, fingerprint).isPresent()) { // finished by another process since the check above
        counts[1]++;
        return true;
      }
      Optional<CellFailure> failedBefore = cells.failed(cell, fingerprint);
      if (failedBefore.isPresent() && !retry(failedBefore.get())) {
        counts[1]++;
        return true;
      }
      int n = plan.cells().size();
      try {
        String init = plan.pretrainingOf(cell);
        if (init != null && !pretrain(plan, init, waitForPretraining)) {
          return false;
        }
        CellResult r = runCell(plan, cell, settings, init);
        log.accept(String.format("cell %d/%d %s: test Dice %.4f; best validation Dice %.4f at step %d of %d (%.1f s)%s",
            index + 1, n, cell.key(), r.meanDice(), r.finetune().bestValidationDice(), r.finetune().bestStep(),
            r.finetune().stepsRun(), r.finetune().seconds(), r.chosenLearningRate().isPresent()
                ? "; learning rate " + r.chosenLearningRate().getAsDouble() + " chosen by validation" : ""));
        counts[0]++;
      } catch (TrainingDiverged e) {
        cells.writeFailure(new CellFailure(cell, fingerprint, settings, e.getMessage(), Version.build(),
            precision.label(), Engine.config().name(), Fingerprint.of(config.text()), Instant.now().toString()));
        log.accept(String.format("cell %d/%d %s FAILED: %s; the study goes on", index + 1, n, cell.key(),
            e.getMessage()));
        counts[2]++;
      }
      return true;
    }
  }

  /** True when a failure was recorded after this run started: another worker's, in this same run. */
  private boolean failedSinceStart(String failedAt) {
    try {
      return !Instant.parse(failedAt).isBefore(startedAt);
    } catch (java.time.format.DateTimeParseException e) {
      return false; // a record without a readable time is an old one
    }
  }

  /**
   * Whether to run a cell that failed before with the same settings: on demand, or when the engine
   * configuration or precision changed since (its divergence may have been the engine's); else
   * it would fail again, and the log says how to retry.
   */
  private boolean retry(CellFailure failure) {
    return retry("cell " + failure.cell().key(), failure.error(), failure.failedAt(), failure.engine(),
        failure.precision(), out.relativize(cells.failurePath(failure.cell())));
  }

  /** The same decision for anything that failed (a cell, a pretraining) and whose record is {@code record}. */
  private boolean retry(String what, String error, String failedAt, String engine, String failedPrecision,
      Path record) {
    if (failedSinceStart(failedAt)) { // another worker's failure in this same run
      log.accept("skipping " + what + ": it failed in this run (" + error + ")");
      return false;
    }
    if (retryFailed) {
      log.accept("retrying failed " + what + " (--retry-failed)");
      return true;
    }
    if (!engine.equals(Engine.config().name()) || !failedPrecision.equals(precision.label())) {
      log.accept(String.format("retrying failed %s: it failed on engine %s in %s, this run uses engine %s in %s",
          what, engine.isEmpty() ? "(not recorded)" : engine, failedPrecision, Engine.config().name(),
          precision.label()));
      return true;
    }
    log.accept("skipping failed " + what + " (" + error + "); --retry-failed or deleting " + record
        + " tries it again");
    return false;
  }

  /**
   * Runs (or finds) a pretraining and its ancestors, parents first, each under its lock. Returns
   * false when another process holds one of them and {@code wait} is off.
   */
  private boolean pretrain(StudyPlan plan, String label, boolean wait) {
    for (Pretraining p : plan.chain(label)) {
      if (pretrainDone.containsKey(p.label())) {
        continue;
      }
      if (pretrainFailed.containsKey(p.label())) {
        throw pretrainFailed.get(p.label());
      }
      Optional<StudyLocks.Claim> claim = wait ? Optional.of(locks.claim("pretraining-" + p.label()))
          : locks.tryClaim("pretraining-" + p.label());
      if (claim.isEmpty()) {
        return false;
      }
      try (StudyLocks.Claim held = claim.get()) {
        Optional<PretrainingRecord> done = pretrained.finished(p);
        if (done.isPresent()) {
          log.accept("reusing pretraining " + p.label() + " (" + done.get().file() + ")");
        } else {
          done = fromCache(p);
        }
        pretrainDone.put(p.label(), done.isPresent() ? done.get() : runOrRefuse(plan, p));
      } catch (TrainingDiverged e) {
        TrainingDiverged failure = new TrainingDiverged("pretraining " + p.label() + " failed: " + e.getMessage());
        pretrainFailed.put(p.label(), failure);
        throw failure;
      }
    }
    return true;
  }

  /**
   * Runs a pretraining, unless it diverged before under the same conditions (recorded beside the
   * pretrained models, so the other workers and later runs do not spend its time again).
   */
  private PretrainingRecord runOrRefuse(StudyPlan plan, Pretraining p) {
    Optional<PretrainingStore.Failure> before = pretrained.failure(p);
    if (before.isPresent() && !retry("pretraining " + p.label(), before.get().error(), before.get().failedAt(),
        before.get().engine(), before.get().precision(), out.relativize(pretrained.failurePath(p.label())))) {
      throw new TrainingDiverged(before.get().error());
    }
    try {
      PretrainingRecord done = runPretraining(plan.dataDir(), p);
      pretrained.clearFailure(p.label());
      return done;
    } catch (TrainingDiverged e) {
      pretrained.writeFailure(p, new PretrainingStore.Failure(e.getMessage(), Engine.config().name(),
          precision.label(), Instant.now().toString()));
      throw e;
    }
  }

  /** A pretraining another study (or an earlier run of this one) left in the cache, linked into this study. */
  private Optional<PretrainingRecord> fromCache(Pretraining p) {
    Optional<PretrainingRecord> hit = cache == null ? Optional.empty() : cache.find(p);
    if (hit.isEmpty()) {
      return hit;
    }
    PretrainingRecord c = hit.get();
    Path model = pretrained.model(p.label());
    AtomicFiles.linkOrCopy(cache.model(p), model);
    PretrainingRecord rec = new PretrainingRecord(p.label(), p.method(), c.steps(), c.batch(), c.seed(), p.parent(),
        c.seconds(), c.finalLoss(), c.warnings(), c.images(), pretrained.relative(model), p.fingerprint(),
        p.description(), c.medsslVersion());
    pretrained.write(rec);
    log.accept(String.format("pretraining %s taken from the cache (%s; it took %.1f s); --no-pretraining-cache runs"
        + " it again", p.label(), cache.model(p), c.seconds()));
    return Optional.of(rec);
  }

  /** Offers a finished pretraining to the cache; a cache that cannot be written costs a warning, not the study. */
  private void toCache(PretrainingRecord rec, Path model) {
    if (cache == null) {
      return;
    }
    try {
      cache.store(rec, model);
    } catch (MedsslException e) {
      log.accept("warning: could not store " + rec.label() + " in the pretraining cache: " + e.getMessage());
    }
  }

  private PretrainingRecord runPretraining(Path data, Pretraining p) {
    Path model = pretrained.model(p.label());
    Path parent = p.parent() == null ? null : pretrained.model(p.parent());
    var ft = config.finetune();
    PretrainJob job = new PretrainJob(data, p.method(), ft.backbone(),
        p.settings().options(), parent,
        p.settings().toConfig(precision, p.steps(), p.seed()).withPreprocessing(config.dataset().preprocessing())
            .withPatch(ft.patchSize()),
        config.dataset().channel());
    log.accept("pretraining " + p.label() + ": " + p.method() + ", " + p.budget() + ", "
        + p.settings().describe(p.method(), p.steps(), p.seed()) + (parent == null ? "" : ", continuing from " + p.parent()));
    progress.begin("pretrain " + p.label(), p.steps());
    PretrainJob.Outcome o;
    try {
      o = job.run(model, pretrainListener(), log, i -> { }, RESUME);
    } finally {
      progress.end();
    }
    PretrainResult r = o.result();
    double finalLoss = r.curve().isEmpty() ? Double.NaN : r.curve().get(r.curve().size() - 1).loss();
    PretrainingRecord rec = new PretrainingRecord(p.label(), p.method(), r.steps(), p.settings().batch(),
        p.seed(), p.parent(), r.seconds(), finalLoss, r.warnings(), o.images(), pretrained.relative(model),
        p.fingerprint(), p.description(), Version.build());
    pretrained.write(rec);
    toCache(rec, model);
    log.accept(String.format("pretrained %s: %d steps in %.1f s, final loss %.4f%s", p.label(), r.steps(), r.seconds(),
        finalLoss, r.warnings().isEmpty() ? "" : "; warnings: " + String.join("; ", r.warnings())));
    return rec;
  }

  /** How results name an init: a pretrained model relative to the study, a weight file by its path. */
  private String describeInit(Path init, StudyPlan.FileInit file) {
    return file != null ? file.file().toString() : pretrained.relative(init);
  }

  /**
   * Fine-tunes and evaluates a cell: once at the configured learning rate, or, with
   * {@code finetune.tune}, once per candidate rate (same seed, same subjects), keeping the run with
   * the best validation Dice and recording every candidate's outcome.
   */
  private CellResult runCell(StudyPlan plan, Cell cell, String settings, String initLabel) {
    StudyPlan.FileInit file = plan.fileInits().get(cell.method());
    Path init = file != null ? file.file() : initLabel == null ? null : pretrained.model(initLabel);
    var ft = config.finetune();
    var cfg = ft.toConfig(precision, cell.seed()).withPreprocessing(config.dataset().preprocessing());
    log.accept("fine-tuning " + cell.key() + " from " + (init == null ? "random init" : describeInit(init, file))
        + (ft.tunes() ? ", once per learning rate of " + ft.tuneLearningRates() : ""));
    List<Double> rates = ft.tunes() ? ft.tuneLearningRates() : List.of(cfg.learningRate());
    List<LearningRateTuning.Candidate> candidates = new ArrayList<>();
    Evaluated best = null;
    try {
      for (double lr : rates) {
        Evaluated run = fineTuneAndEvaluate(plan, cell, init, cfg.withLearningRate(lr), ft.tunes() ? " lr " + lr : "");
        candidates.add(new LearningRateTuning.Candidate(lr, run.outcome().result().bestValidationDice(),
            CellResult.meanDice(run.test())));
        if (ft.tunes()) {
          log.accept(String.format("  %s at lr %s: best validation Dice %.4f, test Dice %.4f", cell.key(), lr,
              run.outcome().result().bestValidationDice(), CellResult.meanDice(run.test())));
        }
        if (best == null || run.outcome().result().bestValidationDice() > best.outcome().result().bestValidationDice()) {
          if (best != null) {
            best.outcome().model().close();
          }
          best = run;
        } else {
          run.outcome().model().close();
        }
      }
      LearningRateTuning tuning = ft.tunes() ? LearningRateTuning.choose(candidates) : LearningRateTuning.NONE;
      if (plan.keepsModel(cell)) {
        best.outcome().model().save(modelPath(cell)); // before the cell file: a finished cell always has its model
      }
      CellResult r = new CellResult(cell, Fingerprint.of(settings), settings,
          init == null ? "random" : describeInit(init, file), best.outcome().trainIds(), best.outcome().result(),
          best.test(), best.evaluationSeconds(), Version.build(), precision.label(), Fingerprint.of(config.text()),
          Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), tuning, Engine.threads());
      cells.write(r);
      return r;
    } finally {
      if (best != null) {
        best.outcome().model().close();
      }
    }
  }

  /** One fine-tuning of a cell and its test metrics; the caller closes the model. */
  private record Evaluated(FineTuneJob.Outcome outcome, List<TestMetrics> test, double evaluationSeconds) {}

  private Evaluated fineTuneAndEvaluate(StudyPlan plan, Cell cell, Path init, FineTuneConfig cfg, String label) {
    var ft = config.finetune();
    FineTuneJob job = new FineTuneJob(plan.dataDir(), cell.labeled(), ft.validation(), ft.backbone(), ft.decoder(),
        ft.patchSize(), init, cfg, config.dataset().channel());
    progress.begin("finetune " + cell.key() + label, cfg.steps());
    // A cell killed mid-way continues from its checkpoint; it is removed once the cell has trained.
    Path checkpointBeside = out.resolve("checkpoints").resolve(cell.key() + label.replace(" ", ""));
    FineTuneJob.Outcome o;
    try {
      o = job.run(trainingListener(), log, checkpointBeside, RESUME);
    } finally {
      progress.end();
    }
    FineTuneJob.finished(checkpointBeside);
    try {
      long t0 = System.nanoTime();
      Evaluation ev = Evaluation.run(o.model(), plan.labeledTests(), precision, i -> { });
      List<TestMetrics> test = new ArrayList<>();
      ev.cases().forEach(c -> c.classes().forEach(k -> test.add(TestMetrics.of(c.subject(), k))));
      return new Evaluated(o, test, (System.nanoTime() - t0) / 1e9);
    } catch (RuntimeException e) {
      o.model().close();
      throw e;
    }
  }

  public Path modelPath(Cell cell) {
    return out.resolve("models").resolve(cell.key() + ".medssl");
  }

  private List<CellResult> finishedResults(StudyPlan plan) {
    List<CellResult> out = new ArrayList<>();
    for (Cell c : plan.cells()) {
      cells.finished(c, Fingerprint.of(plan.describe(c))).ifPresent(out::add);
    }
    return out;
  }

  /**
   * The study's noise floor when the config asks for it: the first random-init cell fine-tuned again
   * with another thread count than the one it ran with (run once, then read from its cell file;
   * a stored repeat of the same settings counts whatever thread count it used, as long as it
   * differs from the cell's, so runs with and without workers agree on it).
   */
  private Optional<NoiseFloor> noiseFloor(StudyPlan plan, List<CellResult> results, boolean reportOnly) {
    if (!config.noiseFloor()) {
      return Optional.empty();
    }
    Optional<CellResult> base = NoiseFloor.baseCell(plan, config.randomInit()).flatMap(c -> results.stream()
        .filter(r -> r.cell().equals(c)).findFirst());
    if (base.isEmpty()) {
      return Optional.empty();
    }
    int baseThreads = base.get().threads() > 0 ? base.get().threads() : Engine.threads();
    Cell repeat = NoiseFloor.repeatOf(base.get().cell());
    String prefix = plan.describe(base.get().cell()) + ";threads=";
    Optional<CellResult> done = cells.stored(repeat).filter(r -> r.settings().startsWith(prefix)
        && NoiseFloor.threadsOf(r, prefix) != baseThreads);
    if (done.isEmpty() && !reportOnly) {
      int threads = NoiseFloor.otherThreads(baseThreads);
      Optional<StudyLocks.Claim> claim = locks.tryClaim("cell-" + repeat.key());
      if (claim.isEmpty()) {
        log.accept("noise floor: another process is repeating " + base.get().cell().key() + "; its run shows it");
      } else {
        try (StudyLocks.Claim held = claim.get()) {
          log.accept("noise floor: fine-tuning " + base.get().cell().key() + " again with " + threads
              + " thread(s) (it ran with " + baseThreads + ")");
          done = Optional.of(Engine.withThreads(threads, () -> runCell(plan, repeat, prefix + threads, null)));
        }
      }
    }
    Optional<NoiseFloor> noise = done.map(r -> NoiseFloor.of(r, base.get(), NoiseFloor.threadsOf(r, prefix)));
    noise.ifPresent(n -> log.accept(String.format("noise floor: %s with %d thread(s): test Dice %.4f vs %.4f (%+.4f)",
        n.cell().key(), n.threads(), n.dice(), n.baseDice(), n.difference())));
    return noise;
  }

  private List<CellFailure> failures(StudyPlan plan) {
    List<CellFailure> out = new ArrayList<>();
    for (Cell c : plan.cells()) {
      if (Files.isRegularFile(cells.path(c))) {
        continue; // succeeded since: the result stands
      }
      cells.failed(c, Fingerprint.of(plan.describe(c))).ifPresent(out::add);
    }
    return out;
  }

  private List<PretrainingRecord> pretrainingRecords(StudyPlan plan) {
    List<PretrainingRecord> out = new ArrayList<>();
    plan.pretrainings().values().forEach(p -> pretrained.finished(p).ifPresent(out::add));
    return out;
  }

  private FineTuneListener trainingListener() {
    return new FineTuneListener() {
      @Override
      public void onStep(StepEvent e) {
        progress.step(e.step(), String.format("loss %.4f", e.loss()));
      }

      @Override
      public void onValidation(int step, double meanDice, boolean improved) {
        progress.step(step, String.format("val Dice %.4f%s", meanDice, improved ? " *" : ""));
      }
    };
  }

  private TrainingListener pretrainListener() {
    return new TrainingListener() {
      @Override
      public void onStep(StepEvent e) {
        progress.step(e.step(), String.format("%s loss %.4f", e.phase(), e.loss()));
      }

      @Override
      public void onWarning(String message) {
        log.accept("warning: " + message);
      }
    };
  }

  /** A kill -9 during an atomic write leaves a hidden temp file beside the target; it is never read, so drop it. */
  private void removeStaleTempFiles() {
    for (String sub : List.of("", "cells", "pretrained", "models", "checkpoints")) {
      Path dir = out.resolve(sub);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : files.filter(Study::isTempFile).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        throw new MedsslException(dir + ": cannot clean temporary files: " + e.getMessage(), e);
      }
    }
  }

  private static boolean isTempFile(Path p) {
    String n = p.getFileName().toString();
    return n.startsWith(".") && n.endsWith(".tmp");
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new MedsslException(dir + ": cannot create the study directory: " + e.getMessage(), e);
    }
  }

  private static void appendLine(BufferedWriter w, String line) {
    try {
      w.write(line);
      w.newLine();
      w.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
