package org.medssl.seg;

import org.medssl.data.PreprocessingOptions;
import org.medssl.tensor.Precision;

/**
 * Fine-tuning settings. Defaults fit the built-in phantoms on two cores: 2D slices, batch 8, Adam
 * with warm-up and cosine decay, Dice + cross-entropy, validation every 100 steps with early
 * stopping after 6 validations without improvement.
 */
public record FineTuneConfig(int steps, int batch, double learningRate, double weightDecay, int warmupSteps,
    int validateEvery, int patience, boolean augment, SegLoss loss, Precision precision, long seed,
    PreprocessingOptions preprocessing) {

  public FineTuneConfig {
    if (steps < 1 || batch < 1 || validateEvery < 1 || warmupSteps < 0 || patience < 1) {
      throw new IllegalArgumentException("steps, batch, validateEvery and patience must be positive");
    }
  }

  public static FineTuneConfig defaults(Precision precision, long seed) {
    return new FineTuneConfig(1200, 8, 2e-3, 1e-5, 50, 100, 6, true, SegLoss.DICE_CE, precision, seed,
        PreprocessingOptions.AUTO);
  }

  public FineTuneConfig withSteps(int value) {
    return new FineTuneConfig(value, batch, learningRate, weightDecay, Math.min(warmupSteps, value / 10),
        validateEvery, patience, augment, loss, precision, seed, preprocessing);
  }

  public FineTuneConfig withBatch(int value) {
    return new FineTuneConfig(steps, value, learningRate, weightDecay, warmupSteps, validateEvery, patience, augment,
        loss, precision, seed, preprocessing);
  }

  public FineTuneConfig withAugment(boolean value) {
    return new FineTuneConfig(steps, batch, learningRate, weightDecay, warmupSteps, validateEvery, patience, value,
        loss, precision, seed, preprocessing);
  }

  public FineTuneConfig withLoss(SegLoss value) {
    return new FineTuneConfig(steps, batch, learningRate, weightDecay, warmupSteps, validateEvery, patience, augment,
        value, precision, seed, preprocessing);
  }

  public FineTuneConfig withPreprocessing(PreprocessingOptions value) {
    return new FineTuneConfig(steps, batch, learningRate, weightDecay, warmupSteps, validateEvery, patience, augment, loss,
        precision, seed, value);
  }

  public FineTuneConfig withLearningRate(double value) {
    return new FineTuneConfig(steps, batch, value, weightDecay, warmupSteps, validateEvery, patience, augment, loss,
        precision, seed, preprocessing);
  }
}
