package org.medssl.ssl;

import java.util.ArrayList;
import java.util.List;
import org.medssl.data.PretrainImages;
import org.medssl.tensor.Distributed;
import org.medssl.train.Checkpointer;
import org.medssl.train.Phase;
import org.medssl.train.Trainer;
import org.medssl.train.TrainingListener;

/**
 * Pretraining on the shared {@link Trainer}: a method's stages become phases (each with a fresh
 * optimiser over the stage's parameters and its share of the steps), its after-step hook (EMA)
 * runs after every update, and {@link LossLog} keeps the loss curve and watches for collapse.
 */
public final class Pretrainer {
  private final PretrainConfig config;

  public Pretrainer(PretrainConfig config) {
    this.config = config;
  }

  public PretrainResult run(PretextMethod method, PretrainImages images, int[] size, TrainingListener listener) {
    return run(method, images, size, listener, null);
  }

  /** @param checkpoints where and how often to checkpoint, and whether to resume; null for none */
  public PretrainResult run(PretextMethod method, PretrainImages images, int[] size, TrainingListener listener,
      Checkpointer.Request checkpoints) {
    LossLog log = new LossLog(listener::onWarning);
    Trainer trainer = new Trainer(new Trainer.Settings("pretraining", config.learningRate(), config.warmupSteps(),
        config.saneLearningRate(), config.seed(), config.precision(), 3, Distributed.current().orElse(null)));
    Trainer.Result r = trainer.run(phases(method, images, size), List.of(log, listener), method.weights(), checkpoints);
    return new PretrainResult(r.steps(), r.seconds(), log.curve(), log.warnings());
  }

  /** The stages as phases: each its share of the steps (the last the rest), a fresh optimiser, the EMA hook. */
  List<Phase<PretextBatch>> phases(PretextMethod method, PretrainImages images, int[] size) {
    List<Phase<PretextBatch>> phases = new ArrayList<>();
    List<Stage> stages = method.stages();
    int done = 0;
    for (int s = 0; s < stages.size(); s++) {
      Stage stage = stages.get(s);
      int steps = s == stages.size() - 1 ? config.steps() - done : (int) Math.round(config.steps() * stage.stepFraction());
      int[] shape = size.clone();
      phases.add(Phase.<PretextBatch>of(stage.name(), steps, rng -> stage.inputs().make(images, config.batch(), shape,
          rng), stage.loss(), () -> config.optimizer(stage.trainable())).withAfterStep(method::afterStep));
      done += steps;
    }
    return phases;
  }
}
