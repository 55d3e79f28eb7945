package org.medssl.study.config;


import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import org.medssl.MedsslException;
import org.medssl.ssl.MethodOptions;
import org.medssl.ssl.PretextMethods;
import org.medssl.ssl.PretrainJob;
import org.medssl.ssl.PretrainConfig;
import org.medssl.tensor.Precision;

/**
 * How the pretrainings of one init run. The budget is {@code steps} or {@code epochs} of the
 * pretraining pool (exactly one is positive; epochs resolve to steps in {@link StudyPlan}, against
 * the pool's slices in 2D or volumes in 3D). A pretraining serves every fine-tuning seed, so it has
 * its own seeds: with k of them each init is pretrained k times, and fine-tuning seed s starts
 * from the {@code (s mod k)}-th of them (counted from 0).
 *
 * @param steps optimiser steps, or 0 when the budget is in epochs
 * @param epochs passes over the pool, or 0 when the budget is in steps
 * @param seeds the pretraining seeds (one or more, distinct)
 * @param learningRate peak learning rate, or null for the optimiser's default
 */
public record PretrainSettings(int steps, int epochs, int batch, List<Long> seeds,
    PretrainConfig.OptimizerKind optimizer, Double learningRate, MethodOptions options) {

  public PretrainSettings {
    seeds = List.copyOf(seeds);
    if ((steps > 0) == (epochs > 0) || steps < 0 || epochs < 0) {
      throw new MedsslException("pretraining: give exactly one of steps >= 1 or epochs >= 1, got steps " + steps
          + ", epochs " + epochs);
    }
    if (batch < 2) {
      throw new MedsslException("pretraining: needs batch >= 2, got " + batch);
    }
    if (seeds.isEmpty() || new HashSet<>(seeds).size() != seeds.size()) {
      throw new MedsslException("pretraining: seeds must list at least one seed, each once, got " + seeds);
    }
    if (learningRate != null && !(learningRate > 0)) {
      throw new MedsslException("pretraining: learningRate must be positive, got " + learningRate);
    }
  }

  /** A budget in steps and one seed. */
  public PretrainSettings(int steps, int batch, long seed, PretrainConfig.OptimizerKind optimizer, Double learningRate,
      MethodOptions options) {
    this(steps, 0, batch, List.of(seed), optimizer, learningRate, options);
  }

  public static PretrainSettings defaults() {
    return new PretrainSettings(600, 16, 0, PretrainConfig.OptimizerKind.ADAMW, null, MethodOptions.defaults());
  }

  public PretrainSettings withSteps(int v) {
    return new PretrainSettings(v, 0, batch, seeds, optimizer, learningRate, options);
  }

  public PretrainSettings withEpochs(int v) {
    return new PretrainSettings(0, v, batch, seeds, optimizer, learningRate, options);
  }

  public PretrainSettings withSeeds(List<Long> v) {
    return new PretrainSettings(steps, epochs, batch, v, optimizer, learningRate, options);
  }

  /** The first pretraining seed (the only one of most studies). */
  public long seed() {
    return seeds.get(0);
  }

  public boolean inEpochs() {
    return epochs > 0;
  }

  /** Steps of one pass over a pool of {@code pool} images (slices or volumes), rounded up. */
  public int stepsPerEpoch(int pool) {
    return PretrainJob.stepsPerEpoch(pool, batch);
  }

  /** The budget in steps: {@link #steps}, or {@code epochs} (or the given length in epochs) over the pool. */
  public int resolveSteps(int length, int pool) {
    return inEpochs() ? Math.multiplyExact(length, stepsPerEpoch(pool)) : length;
  }

  /** The loop settings for {@code steps} steps with pretraining seed {@code seed}. */
  public PretrainConfig toConfig(Precision precision, int steps, long seed) {
    // Same order as the pretrain command: LARS derives its learning rate from the batch.
    PretrainConfig c = PretrainConfig.defaults(precision, seed).withBatch(batch).withSteps(steps).withOptimizer(optimizer);
    return learningRate == null ? c : c.withLearningRate(learningRate);
  }

  /** The loop settings for {@code steps} steps (a pretraining length may be shorter than {@link #steps}). */
  public PretrainConfig toConfig(Precision precision, int steps) {
    return toConfig(precision, steps, seed());
  }

  /** {@link #describe(String, int, long)} with the first seed. */
  public String describe(String method, int steps) {
    return describe(method, steps, seed());
  }

  /**
   * Everything that changes the weights of a {@code method} pretraining of {@code steps} resolved
   * steps with seed {@code seed}, for fingerprints. A budget in epochs is described by its steps,
   * so it matches the same run given in steps; tau is the one the run uses (sized to the steps
   * unless set). Options added later appear only when they differ from the code before them
   * ({@link PretextMethods#fingerprint}), so descriptions written before still match.
   */
  public String describe(String method, int steps, long seed) {
    return String.format(Locale.ROOT, "steps=%d,batch=%d,seed=%d,optimizer=%s,lr=%s", steps, batch, seed,
        optimizer.name().toLowerCase(Locale.ROOT), learningRate == null ? "default" : learningRate.toString())
        + PretextMethods.fingerprint(method, options, steps);
  }
}
