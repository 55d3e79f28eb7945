package org.medssl.tensor;

import org.bytedeco.pytorch.NoGradGuard;

/** Disables autograd while open: for inference, EMA updates and weight copies. */
public final class NoGrad implements AutoCloseable {
  private final NoGradGuard guard;

  private NoGrad() {
    Engine.ensureLoaded();
    guard = new NoGradGuard();
  }

  public static NoGrad open() {
    return new NoGrad();
  }

  @Override
  public void close() {
    guard.close();
  }
}
