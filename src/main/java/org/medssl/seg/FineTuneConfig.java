package org.medssl.seg;

import org.medssl.data.PreprocessingOptions;
import org.medssl.nn.Dims;
import org.medssl.tensor.Precision;

/**
 * Fine-tuning settings. Defaults fit the built-in phantoms on two cores: batches of 8 slices (2D)
 * or 2 patches (3D), Adam with warm-up and cosine decay, Dice + cross-entropy (PGL's loss),
 * validation every 100 steps with early stopping after 6 validations without improvement. The 3D
 * patch size travels with the network ({@link FineTuneJob}, {@link SlidingWindow}).
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

  /** The defaults for networks of {@code dims}: a 3D batch holds 2 patches, as in nnU-Net's 3D configurations. */
  public static FineTuneConfig defaults(Dims dims, Precision precision, long seed) {
    FineTuneConfig d = defaults(precision, seed);
    return dims == Dims.THREE ? d.withBatch(2) : d;
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
