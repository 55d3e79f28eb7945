package org.medssl.tensor;

import org.bytedeco.javacpp.PointerScope;

/**
 * Frees every native object created while it is open: autograd graphs, activations, temporaries.
 *
 * <p>Run each training or inference step inside one ({@code try (var s = StepScope.open())});
 * without it native memory grows until the garbage collector happens to run. A tensor that must
 * outlive the step is {@link Tensor#retain() retained} and later {@link Tensor#close() closed}.
 */
public final class StepScope implements AutoCloseable {
  private final PointerScope scope;

  private StepScope() {
    Engine.ensureLoaded();
    this.scope = new PointerScope();
  }

  public static StepScope open() {
    return new StepScope();
  }

  @Override
  public void close() {
    scope.close();
  }
}
