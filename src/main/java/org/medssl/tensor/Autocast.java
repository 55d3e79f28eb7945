package org.medssl.tensor;

import org.bytedeco.pytorch.global.torch;

/**
 * Enables CPU bf16 autocast for the forward pass it encloses (a no-op for fp32).
 *
 * <p>libtorch's C++ RAII guard is not exposed, so this sets and clears the thread-local state by
 * hand; compute losses after closing it so they run in fp32.
 */
public final class Autocast implements AutoCloseable {
  private final boolean active;

  private Autocast(boolean active) {
    this.active = active;
    if (active) {
      torch.set_autocast_dtype(torch.DeviceType.CPU, torch.ScalarType.BFloat16);
      torch.set_autocast_enabled(torch.DeviceType.CPU, true);
      torch.increment_nesting();
    }
  }

  public static Autocast of(Precision precision) {
    Engine.ensureLoaded();
    return new Autocast(precision == Precision.BF16);
  }

  @Override
  public void close() {
    if (active) {
      torch.set_autocast_enabled(torch.DeviceType.CPU, false);
      if (torch.decrement_nesting() == 0) {
        torch.clear_cache();
      }
    }
  }
}
