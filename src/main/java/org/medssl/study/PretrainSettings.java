package org.medssl.study;

import java.util.Locale;
import org.medssl.MedsslException;
import org.medssl.ssl.PretextMethods;
import org.medssl.ssl.PretrainConfig;
import org.medssl.tensor.Precision;

/**
 * How one pretraining runs. One pretraining serves every fine-tuning seed, so it has its own seed.
 *
 * @param learningRate peak learning rate, or null for the optimiser's default
 */
public record PretrainSettings(int steps, int batch, long seed, PretrainConfig.OptimizerKind optimizer,
    Double learningRate, PretextMethods.Options options) {

  public PretrainSettings {
    if (steps < 1 || batch < 2) {
      throw new MedsslException("pretraining: needs steps >= 1 and batch >= 2, got steps " + steps + ", batch " + batch);
    }
    if (learningRate != null && !(learningRate > 0)) {
      throw new MedsslException("pretraining: learningRate must be positive, got " + learningRate);
    }
    if (!(options.maskFraction() > 0 && options.maskFraction() < 1)) {
      throw new MedsslException("pretraining: maskFraction must be in (0, 1), got " + options.maskFraction());
    }
    if (!Double.isNaN(options.tau0()) && !(options.tau0() >= 0 && options.tau0() < 1)) {
      throw new MedsslException("pretraining: tau must be in [0, 1), got " + options.tau0());
    }
  }

  public static PretrainSettings defaults() {
    return new PretrainSettings(600, 16, 0, PretrainConfig.OptimizerKind.ADAMW, null, PretextMethods.Options.defaults());
  }

  public PretrainSettings withSteps(int v) {
    return new PretrainSettings(v, batch, seed, optimizer, learningRate, options);
  }

  /** The loop settings for {@code steps} steps (a pretraining length may be shorter than {@link #steps}). */
  public PretrainConfig toConfig(Precision precision, int steps) {
    // Same order as the pretrain command: LARS derives its learning rate from the batch.
    PretrainConfig c = PretrainConfig.defaults(precision, seed).withBatch(batch).withSteps(steps).withOptimizer(optimizer);
    return learningRate == null ? c : c.withLearningRate(learningRate);
  }

  /**
   * Everything that changes the weights of a {@code method} pretraining, for fingerprints. Options
   * added later appear only when they differ from the code before them
   * ({@link PretextMethods.Options#describeChanges}), so descriptions written before still match.
   */
  public String describe(String method, int steps) {
    String base = String.format(Locale.ROOT, "steps=%d,batch=%d,seed=%d,optimizer=%s,lr=%s,partitionPositives=%s,"
        + "maskFraction=%s,tau=%s", steps, batch, seed, optimizer.name().toLowerCase(Locale.ROOT),
        learningRate == null ? "default" : learningRate.toString(), options.partitionPositives(),
        options.maskFraction(), PretextMethods.tau(method, options));
    return base + options.describeChanges(method);
  }
}
