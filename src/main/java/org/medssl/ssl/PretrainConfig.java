package org.medssl.ssl;

import java.util.List;
import java.util.Locale;
import org.medssl.MedsslException;
import org.medssl.data.PatchSize;
import org.medssl.data.PreprocessingOptions;
import org.medssl.tensor.Optimizer;
import org.medssl.tensor.Precision;
import org.medssl.tensor.Tensor;

/**
 * Settings of the shared pretraining loop. Defaults fit the phantoms on two cores: 600 steps of
 * 16 slices, AdamW 1e-3 with warm-up and cosine decay.
 */
public record PretrainConfig(int steps, int batch, double learningRate, double weightDecay, int warmupSteps,
    OptimizerKind optimizer, Precision precision, long seed, PreprocessingOptions preprocessing, PatchSize patch) {

  /** AdamW (small-batch default) or LARS (the BYOL and PGL papers' optimiser). */
  public enum OptimizerKind {
    ADAMW, LARS;

    public static OptimizerKind parse(String text) {
      try {
        return valueOf(text.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new MedsslException("--optimizer: expected adamw or lars, got '" + text + "'");
      }
    }
  }

  /** Settings of a 2D pretraining (whole slices, no patch). */
  public PretrainConfig(int steps, int batch, double learningRate, double weightDecay, int warmupSteps,
      OptimizerKind optimizer, Precision precision, long seed, PreprocessingOptions preprocessing) {
    this(steps, batch, learningRate, weightDecay, warmupSteps, optimizer, precision, seed, preprocessing, null);
  }

  public PretrainConfig {
    if (steps < 1 || batch < 2 || warmupSteps < 0) {
      throw new MedsslException("pretraining needs steps >= 1 and batch >= 2 (got steps " + steps + ", batch " + batch + ")");
    }
  }

  /** The optimiser a stage trains its parameters with (the learning rate is then scheduled per step). */
  public Optimizer optimizer(List<Tensor> params) {
    return optimizer == OptimizerKind.LARS
        ? new Lars(params, learningRate, 0.9, weightDecay, 0.001)
        : Optimizer.adamW(params, learningRate, weightDecay);
  }

  /** The largest learning rate with which this optimiser trains normally ({@link org.medssl.tensor.DivergenceGuard}). */
  public double saneLearningRate() {
    return optimizer == OptimizerKind.LARS ? Optimizer.LARS_SANE_LEARNING_RATE : Optimizer.ADAM_SANE_LEARNING_RATE;
  }

  public static PretrainConfig defaults(Precision precision, long seed) {
    return new PretrainConfig(600, 16, 1e-3, 1e-5, 30, OptimizerKind.ADAMW, precision, seed,
        PreprocessingOptions.AUTO);
  }

  public PretrainConfig withSteps(int v) {
    return new PretrainConfig(v, batch, learningRate, weightDecay, Math.min(warmupSteps, v / 10), optimizer, precision, seed, preprocessing, patch);
  }

  public PretrainConfig withBatch(int v) {
    return new PretrainConfig(steps, v, learningRate, weightDecay, warmupSteps, optimizer, precision, seed, preprocessing, patch);
  }

  /** LARS uses BYOL's learning rate rule lr = 0.5 * batch / 256 (scaled up 10x for tiny batches). */
  public PretrainConfig withOptimizer(OptimizerKind v) {
    double lr = v == OptimizerKind.LARS ? 5.0 * batch / 256 : learningRate;
    return new PretrainConfig(steps, batch, lr, v == OptimizerKind.LARS ? 1e-5 : weightDecay, warmupSteps, v,
        precision, seed, preprocessing, patch);
  }

  public PretrainConfig withPreprocessing(PreprocessingOptions v) {
    return new PretrainConfig(steps, batch, learningRate, weightDecay, warmupSteps, optimizer, precision, seed, v, patch);
  }

  /** The 3D input patch; null for 2D (whole slices). */
  public PretrainConfig withPatch(PatchSize v) {
    return new PretrainConfig(steps, batch, learningRate, weightDecay, warmupSteps, optimizer, precision, seed,
        preprocessing, v);
  }

  public PretrainConfig withLearningRate(double v) {
    return new PretrainConfig(steps, batch, v, weightDecay, warmupSteps, optimizer, precision, seed, preprocessing, patch);
  }
}
