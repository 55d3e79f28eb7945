package org.medssl.ssl;

import java.util.List;
import org.medssl.tensor.ParamStore;

/**
 * A self-supervised pretext task: its weights (named so that {@code encoder.*} and, where trained,
 * {@code decoder.*} are what fine-tuning takes), its stages, and what happens after each optimiser
 * step. The loop, optimiser, schedule and checkpoints belong to {@link Pretrainer}.
 */
public interface PretextMethod extends AutoCloseable {
  String name();

  ParamStore weights();

  List<Stage> stages();

  /** Called after every optimiser step (momentum methods update their targets here). */
  default void afterStep(int step, int totalSteps) {}

  /** Called after weights were loaded from an earlier pretraining ({@code --init}). */
  default void afterInit(org.medssl.tensor.TransferReport report) {}

  /** Which prefixes fine-tuning should take, for the provenance record. */
  List<String> transferredParts();

  @Override
  default void close() {
    weights().close();
  }
}
