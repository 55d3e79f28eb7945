package org.medssl.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.medssl.MedsslException;
import org.medssl.data.PatchSize;
import org.medssl.nn.Backbone;
import org.medssl.nn.DecoderKind;
import org.medssl.seg.FineTuneConfig;
import org.medssl.seg.FineTuneJob;
import org.medssl.seg.FineTuneResult;
import org.medssl.seg.SegLoss;
import org.medssl.seg.FineTuneListener;
import org.medssl.train.StepEvent;
import org.medssl.tensor.Distributed;
import org.medssl.tensor.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code medssl finetune}: train a segmentation network (2D slices or 3D patches) on N labeled subjects. */
@Command(name = "finetune", mixinStandardHelpOptions = true,
    description = "Fine-tune a segmentation network (2D on slices, or 3D on patches with sliding-window validation) on"
        + " N labeled subjects of a dataset (random init or from a .medssl file).")
final class FinetuneCommand implements Callable<Integer> {
  @Mixin
  DataOptions data;

  @Option(names = "--labeled", required = true, description = "Number of labeled training subjects to use.")
  int labeled;

  @Option(names = "--seed", defaultValue = "0", description = "Seed for subject choice, init and sampling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, description = "Output model file (.medssl).")
  Path out;

  @Mixin
  CheckpointFlags checkpoints;

  @Option(names = "--init", defaultValue = "none", description = "'none' (random) or a .medssl file to initialise from.")
  String init;

  @Option(names = "--steps", description = "Maximum training steps (default: 1200).")
  Integer steps;

  @Option(names = "--batch", description = "Slices (2D) or patches (3D) per batch (default: 8 in 2D, 2 in 3D).")
  Integer batch;

  @Option(names = "--lr", description = "Peak learning rate of AdamW (default: 2e-3).")
  Double lr;

  @Option(names = "--encoder-lr-scale", defaultValue = "1",
      description = "The encoder's (encoder.*) learning rate is --lr times this, e.g. 0.1 for a pretrained encoder;"
          + " 0 keeps it fixed (default: ${DEFAULT-VALUE}).")
  double encoderLrScale;

  @Option(names = "--frozen-encoder-steps", defaultValue = "0",
      description = "Train only the decoder and head for this many first steps, then everything with a fresh"
          + " warm-up (LP-FT) (default: ${DEFAULT-VALUE}).")
  int frozenEncoderSteps;

  @Option(names = "--loss", defaultValue = "dice-ce", description = "dice or dice-ce (default: ${DEFAULT-VALUE}).")
  String loss;

  @Option(names = "--no-augment", description = "Switch off data augmentation.")
  boolean noAugment;

  @Option(names = "--validation", defaultValue = "2", description = "Training subjects held out for model selection (default: ${DEFAULT-VALUE}).")
  int validation;

  @Mixin
  NetworkOptions network;

  @Option(names = "--decoder", defaultValue = "unet",
      description = "unet, or light (PGL's decoder-light network) (default: ${DEFAULT-VALUE}).")
  String decoder;

  @Mixin
  PreprocessingFlags preprocessing;

  @Mixin
  EngineOptions engine;

  @Override
  public Integer call() {
    Backbone backbone = network.backbone();
    PatchSize patch = network.patch();
    DecoderKind decoderKind = DecoderKind.parse(decoder);
    Precision precision = engine.start();
    FineTuneConfig cfg = FineTuneConfig.defaults(backbone.dims(), precision, seed).withLoss(SegLoss.parse(loss))
        .withAugment(!noAugment);
    if (steps != null) {
      cfg = cfg.withSteps(steps);
    }
    if (batch != null) {
      cfg = cfg.withBatch(batch);
    }
    if (lr != null) {
      cfg = cfg.withLearningRate(lr);
    }
    if (!(encoderLrScale >= 0) || Double.isInfinite(encoderLrScale)) {
      throw new MedsslException("--encoder-lr-scale must be a finite number >= 0, got " + encoderLrScale);
    }
    if (frozenEncoderSteps < 0 || frozenEncoderSteps >= cfg.steps()) {
      throw new MedsslException("--frozen-encoder-steps must be >= 0 and fewer than the " + cfg.steps()
          + " training steps, got " + frozenEncoderSteps);
    }
    cfg = cfg.withPreprocessing(preprocessing.options()).withEncoderLrScale(encoderLrScale)
        .withFrozenEncoderSteps(frozenEncoderSteps);
    Path initPath = "none".equalsIgnoreCase(init) ? null : Path.of(init);
    FineTuneJob job = new FineTuneJob(data.dir, labeled, validation, backbone, decoderKind, patch, initPath, cfg,
        data.channel);
    System.out.printf("fine-tuning: %s precision, %d threads%n", precision.label(), org.medssl.tensor.Engine.threads());
    EngineOptions.joinGroup(cfg.batch());
    FineTuneJob.Outcome outcome;
    try (Progress.Bar bar = Progress.bar("finetune", cfg.steps(), "steps")) {
      outcome = job.run(listener(bar), System.out::println, out, checkpoints.policy());
    }
    try (var model = outcome.model()) {
      if (!Distributed.writesOutputs()) {
        return 0; // rank 0 writes the model the ranks trained together
      }
      model.save(out);
    }
    FineTuneJob.finished(out);
    FineTuneResult r = outcome.result();
    System.out.printf("best validation Dice %.4f at step %d (%d steps%s, %.1f s); wrote %s%n", r.bestValidationDice(),
        r.bestStep(), r.stepsRun(), r.stoppedEarly() ? ", stopped early" : "", r.seconds(), out);
    return 0;
  }

  static FineTuneListener listener(Progress.Bar bar) {
    return new FineTuneListener() {
      private String validation = "";

      @Override
      public void onStep(StepEvent e) {
        bar.stepTo(e.step());
        bar.setExtraMessage(String.format(" loss %.4f%s", e.loss(), validation));
      }

      @Override
      public void onValidation(int step, double dice, boolean improved) {
        validation = String.format(" | val Dice %.4f%s", dice, improved ? " (best)" : "");
      }
    };
  }
}
