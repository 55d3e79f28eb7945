package org.medssl.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.medssl.data.VolumePool;
import org.medssl.nn.Dims;
import org.medssl.ssl.PretextMethods;
import org.medssl.ssl.PretrainConfig;
import org.medssl.MedsslException;
import org.medssl.data.InputChannel;
import org.medssl.io.dataset.DatasetLayouts;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.ssl.PretrainJob;
import org.medssl.ssl.PretrainResult;
import org.medssl.train.StepEvent;
import org.medssl.train.TrainingListener;
import org.medssl.tensor.Distributed;
import org.medssl.tensor.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code medssl pretrain}: self-supervised pretraining on a dataset's unlabeled images. */
@Command(name = "pretrain", mixinStandardHelpOptions = true, modelTransformer = MethodOptionFlags.class,
    description = "Self-supervised pretraining on the training and unlabeled images of a dataset (never the test images)."
        + " Each method's options follow the common ones; options of other methods are ignored.")
final class PretrainCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--method", required = true, completionCandidates = MethodNames.class,
      description = "Pretext method: ${COMPLETION-CANDIDATES}.")
  String method;

  @Mixin
  DataOptions data;

  @Option(names = "--out", required = true, description = "Output file (.medssl, kind 'pretrained').")
  Path out;

  @Option(names = "--init", description = "Continue from an earlier pretraining (hierarchical pretraining).")
  Path init;

  @Option(names = "--steps", description = "Optimiser steps over all stages (default: 600).")
  Integer steps;

  @Option(names = "--epochs", description = "The budget in passes over the pool instead of --steps: the training and"
      + " unlabeled images' slices (2D) or volumes (3D); an epoch is ceil(pool / batch) steps.")
  Integer epochs;

  @Option(names = "--batch", description = "Slices (2D) or patches (3D) per batch (default: 16).")
  Integer batch;

  @Option(names = "--lr", description = "Peak learning rate (default: 1e-3 for AdamW, 5 x batch / 256 for LARS).")
  Double lr;

  @Option(names = "--optimizer", defaultValue = "adamw", description = "adamw or lars (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin
  NetworkOptions network;

  @Mixin
  CheckpointFlags checkpoints;

  @Option(names = "--pool-memory", paramLabel = "GIB", description = "Heap share of the preprocessed pretraining pool;"
      + " the rest is memory-mapped from a spill file beside --out (default: 2 GiB or half the heap).")
  Double poolMemory;

  @Mixin
  PreprocessingFlags preprocessing;

  @Mixin
  EngineOptions engine;

  @Override
  public Integer call() {
    Precision precision = engine.start();
    PretrainConfig cfg = PretrainConfig.defaults(precision, seed);
    if (steps != null) { // before the batch: each with… validates, and its message should show what was asked
      cfg = cfg.withSteps(steps);
    }
    if (batch != null) {
      cfg = cfg.withBatch(batch);
    }
    cfg = cfg.withOptimizer(PretrainConfig.OptimizerKind.parse(optimizer));
    if (lr != null) {
      cfg = cfg.withLearningRate(lr);
    }
    cfg = cfg.withPreprocessing(preprocessing.options()).withPatch(network.patch());
    if (epochs != null) {
      cfg = cfg.withSteps(epochSteps(cfg));
    }
    PretrainJob job = new PretrainJob(data.dir, method, network.backbone(),
        MethodOptionFlags.read(spec), init, cfg, data.channel);
    EngineOptions.joinGroup(cfg.batch());
    PretrainJob.Outcome outcome;
    try (Progress.Bar bar = Progress.bar("pretrain " + method, cfg.steps(), "steps")) {
      outcome = job.run(out, listener(bar), System.out::println, i -> { },
          checkpoints.policy(),
          VolumePool.Budget.of(poolMemory, PretrainJob.spillDir(out)));
    }
    PretrainResult r = outcome.result();
    if (!Distributed.writesOutputs()) {
      return 0; // rank 0 writes the model the ranks trained together, and reports
    }
    System.out.printf("pretrained %s: %d steps in %.1f s, final loss %.4f; wrote %s%n", method, r.steps(), r.seconds(),
        r.curve().get(r.curve().size() - 1).loss(), out);
    printStages(r);
    r.warnings().forEach(w -> System.out.println("warning: " + w));
    return 0;
  }

  /** {@code --epochs} in steps of the pool (counted from the image headers). */
  private int epochSteps(PretrainConfig cfg) {
    if (steps != null) {
      throw new MedsslException("--epochs: give either --steps or --epochs, not both");
    }
    if (epochs < 1) {
      throw new MedsslException("--epochs: must be at least 1, got " + epochs);
    }
    InputChannel.requireOne(data.channel);
    DatasetSpec spec = DatasetLayouts.open(data.dir, data.channel);
    int pool = PretrainJob.poolSize(spec, cfg.preprocessing().resolve(spec.modality(),
        network.backbone().dims() == Dims.THREE), network.backbone().dims());
    int perEpoch = PretrainJob.stepsPerEpoch(pool, cfg.batch());
    System.out.printf("%d epochs of %d %s at batch %d = %d steps%n", epochs, pool,
        network.backbone().dims() == Dims.TWO ? "slices" : "volumes", cfg.batch(), epochs * perEpoch);
    return Math.multiplyExact(epochs, perEpoch);
  }

  /** First and last logged loss of each stage: the quickest check that the pretext task learned. */
  private static void printStages(PretrainResult r) {
    java.util.Map<String, java.util.List<PretrainResult.LossPoint>> byStage = new java.util.LinkedHashMap<>();
    r.curve().forEach(p -> byStage.computeIfAbsent(p.stage(), k -> new java.util.ArrayList<>()).add(p));
    byStage.forEach((stage, pts) -> {
      PretrainResult.LossPoint first = pts.get(0);
      PretrainResult.LossPoint last = pts.get(pts.size() - 1);
      String spread = Double.isFinite(last.embeddingStd())
          ? String.format(", embedding std %.3f -> %.3f", first.embeddingStd(), last.embeddingStd()) : "";
      System.out.printf("  stage %-8s loss %.4f (steps 1-%d) -> %.4f (to step %d)%s%n", stage, first.loss(), first.step(),
          last.loss(), last.step(), spread);
    });
  }

  static TrainingListener listener(Progress.Bar bar) {
    return new TrainingListener() {
      @Override
      public void onStep(StepEvent e) {
        bar.stepTo(e.step());
        bar.setExtraMessage(String.format(" %s loss %.4f", e.phase(), e.loss()));
      }

      @Override
      public void onWarning(String message) {
        System.err.println("\nwarning: " + message);
      }
    };
  }

  /** The registered method names, for help and completion. */
  static final class MethodNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return PretextMethods.names().iterator();
    }
  }
}
