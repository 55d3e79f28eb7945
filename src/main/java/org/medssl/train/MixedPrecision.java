package org.medssl.train;

import java.util.function.Supplier;
import org.medssl.tensor.Autocast;
import org.medssl.tensor.Precision;

/**
 * The one place outside the engine that opens autocast, for training and inference alike. An
 * objective hands its network passes to {@link #forward} and computes its loss outside them, in
 * fp32; it never chooses the precision.
 * Which parts are network passes is the objective's knowledge (PGL aligns feature maps in fp32
 * between its encoder and predictor passes); which precision they run in is the run's.
 *
 * <p>Under bf16, the weights cast for one pass are cached until it ends: the views of a
 * multi-view method go through one pass, so they share those casts and their gradients meet in
 * the cast before it is undone, as they always did. Passes of their own (views in separate
 * passes) would accumulate in fp32 instead and round differently.
 */
public final class MixedPrecision {
  private final Precision precision;

  public MixedPrecision(Precision precision) {
    this.precision = precision;
  }

  /** Runs a network pass under the run's precision (bf16 autocast, or fp32 as it is). */
  public <T> T forward(Supplier<T> pass) {
    try (Autocast a = Autocast.of(precision)) {
      return pass.get();
    }
  }
}
