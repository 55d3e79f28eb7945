package org.medssl.ssl;

import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.medssl.nn.Backbone;
import org.medssl.nn.Dims;

/**
 * What a pretext method says about itself, declared in its own class: its name, the network
 * dimensions it works in, its options (defaults, checks, help, fingerprint) and how to build it.
 * {@link PretextMethods} lists these; the command line, study configs and fingerprints read
 * everything from them.
 *
 * @param paperTau the EMA decay the method's paper starts from, for momentum methods (NaN for the
 *     others): the start of a run without {@code tau} is sized to its length from it
 * @param batchWideLoss its loss compares each sample with the others of the batch (negatives), so a
 *     data-parallel process's share of the batch is not the batch: refused under data parallelism
 */
public record MethodSpec(String name, Set<Dims> dims, List<MethodOption<?>> options, Factory factory,
    double paperTau, boolean batchWideLoss) {

  /** Builds a method for a backbone with the given option values. */
  @FunctionalInterface
  public interface Factory {
    PretextMethod create(Backbone backbone, MethodOptions options, RandomGenerator rng);
  }

  public MethodSpec {
    dims = Set.copyOf(dims);
    options = List.copyOf(options);
  }

  /** A method without an EMA target whose loss is a mean over the samples. */
  public static MethodSpec of(String name, Set<Dims> dims, List<MethodOption<?>> options, Factory factory) {
    return new MethodSpec(name, dims, options, factory, Double.NaN, false);
  }

  /** A momentum method starting from {@code paperTau}, its loss a mean over the samples. */
  public static MethodSpec momentum(String name, Set<Dims> dims, List<MethodOption<?>> options, Factory factory,
      double paperTau) {
    return new MethodSpec(name, dims, options, factory, paperTau, false);
  }

  /** The same method, its loss comparing samples across the batch. */
  public MethodSpec withBatchWideLoss() {
    return new MethodSpec(name, dims, options, factory, paperTau, true);
  }

  /** Whether the method keeps an EMA target network (and so has a tau that matters). */
  public boolean hasEmaTarget() {
    return !Double.isNaN(paperTau);
  }
}
