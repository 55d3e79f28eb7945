package org.medssl.seg;

import org.medssl.data.PreprocessingOptions;
import org.medssl.nn.Dims;
import org.medssl.tensor.Precision;

/**
 * Fine-tuning settings. Defaults fit the built-in phantoms on two cores: batches of 8 slices (2D)
 * or 2 patches (3D), Adam with warm-up and cosine decay, Dice + cross-entropy (PGL's loss),
 * validation every 100 steps with early stopping after 6 validations without improvement. The 3D
 * patch size travels with the network ({@link FineTuneJob}, {@link SlidingWindow}).
 *
 * <p>Two settings treat a pretrained encoder (the weights named {@code encoder.*}) with care; at
 * their defaults training is what it was without them, bit for bit:
 *
 * @param encoderLrScale the encoder's learning rate is {@code learningRate} times this (1: one rate
 *     for all layers; 0: the encoder never changes)
 * @param frozenEncoderSteps LP-FT's warm start: the first this many steps train only the decoder
 *     and head (encoder frozen), then every weight trains, the schedule starting afresh
 */
public record FineTuneConfig(int steps, int batch, double learningRate, double weightDecay, int warmupSteps,
    int validateEvery, int patience, boolean augment, SegLoss loss, Precision precision, long seed,
    PreprocessingOptions preprocessing, double encoderLrScale, int frozenEncoderSteps) {

  public FineTuneConfig {
    if (steps < 1 || batch < 1 || validateEvery < 1 || warmupSteps < 0 || patience < 1) {
      throw new IllegalArgumentException("steps, batch, validateEvery and patience must be positive");
    }
    if (!(encoderLrScale >= 0) || Double.isInfinite(encoderLrScale)) {
      throw new IllegalArgumentException("the encoder learning-rate scale must be finite and >= 0, got "
          + encoderLrScale);
    }
    if (frozenEncoderSteps < 0 || frozenEncoderSteps >= steps) {
      throw new IllegalArgumentException("frozen-encoder steps must be >= 0 and fewer than the " + steps
          + " steps, got " + frozenEncoderSteps);
    }
  }

  /** One learning rate for every weight and no frozen phase. */
  public FineTuneConfig(int steps, int batch, double learningRate, double weightDecay, int warmupSteps,
      int validateEvery, int patience, boolean augment, SegLoss loss, Precision precision, long seed,
      PreprocessingOptions preprocessing) {
    this(steps, batch, learningRate, weightDecay, warmupSteps, validateEvery, patience, augment, loss, precision, seed,
        preprocessing, 1.0, 0);
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

  /** A builder starting from {@link #defaults(Precision, long)}. */
  public static Builder builder(Precision precision, long seed) {
    return defaults(precision, seed).toBuilder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Fine-tuning settings knob by knob; {@link #build} checks them together. Setting the steps
   * also caps the warm-up at a tenth of them (as {@link #withSteps} does), unless the warm-up is
   * set after.
   */
  public static final class Builder {
    private int steps;
    private int batch;
    private double learningRate;
    private double weightDecay;
    private int warmupSteps;
    private int validateEvery;
    private int patience;
    private boolean augment;
    private SegLoss loss;
    private Precision precision;
    private long seed;
    private PreprocessingOptions preprocessing;
    private double encoderLrScale;
    private int frozenEncoderSteps;

    private Builder(FineTuneConfig c) {
      steps = c.steps;
      batch = c.batch;
      learningRate = c.learningRate;
      weightDecay = c.weightDecay;
      warmupSteps = c.warmupSteps;
      validateEvery = c.validateEvery;
      patience = c.patience;
      augment = c.augment;
      loss = c.loss;
      precision = c.precision;
      seed = c.seed;
      preprocessing = c.preprocessing;
      encoderLrScale = c.encoderLrScale;
      frozenEncoderSteps = c.frozenEncoderSteps;
    }

    public Builder steps(int v) {
      steps = v;
      warmupSteps = Math.min(warmupSteps, v / 10);
      return this;
    }

    public Builder batch(int v) {
      batch = v;
      return this;
    }

    public Builder learningRate(double v) {
      learningRate = v;
      return this;
    }

    public Builder weightDecay(double v) {
      weightDecay = v;
      return this;
    }

    public Builder warmupSteps(int v) {
      warmupSteps = v;
      return this;
    }

    public Builder validateEvery(int v) {
      validateEvery = v;
      return this;
    }

    public Builder patience(int v) {
      patience = v;
      return this;
    }

    public Builder augment(boolean v) {
      augment = v;
      return this;
    }

    public Builder loss(SegLoss v) {
      loss = v;
      return this;
    }

    public Builder precision(Precision v) {
      precision = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder preprocessing(PreprocessingOptions v) {
      preprocessing = v;
      return this;
    }

    public Builder encoderLrScale(double v) {
      encoderLrScale = v;
      return this;
    }

    public Builder frozenEncoderSteps(int v) {
      frozenEncoderSteps = v;
      return this;
    }

    public FineTuneConfig build() {
      return new FineTuneConfig(steps, batch, learningRate, weightDecay, warmupSteps, validateEvery, patience, augment,
          loss, precision, seed, preprocessing, encoderLrScale, frozenEncoderSteps);
    }
  }

  public FineTuneConfig withSteps(int value) {
    return toBuilder().steps(value).build();
  }

  public FineTuneConfig withBatch(int value) {
    return toBuilder().batch(value).build();
  }

  public FineTuneConfig withAugment(boolean value) {
    return toBuilder().augment(value).build();
  }

  public FineTuneConfig withLoss(SegLoss value) {
    return toBuilder().loss(value).build();
  }

  public FineTuneConfig withPreprocessing(PreprocessingOptions value) {
    return toBuilder().preprocessing(value).build();
  }

  public FineTuneConfig withLearningRate(double value) {
    return toBuilder().learningRate(value).build();
  }

  public FineTuneConfig withEncoderLrScale(double value) {
    return toBuilder().encoderLrScale(value).build();
  }

  public FineTuneConfig withFrozenEncoderSteps(int value) {
    return toBuilder().frozenEncoderSteps(value).build();
  }

  /** Whether the encoder is trained differently from the rest (its own rate or a frozen phase). */
  public boolean treatsEncoderApart() {
    return encoderLrScale != 1.0 || frozenEncoderSteps > 0;
  }
}
