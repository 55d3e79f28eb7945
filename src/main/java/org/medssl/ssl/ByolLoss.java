package org.medssl.ssl;

import org.medssl.tensor.Tensor;

/**
 * BYOL's regression loss {@code 2 - 2 cos(p, z)} averaged over the batch (Grill et al. 2020):
 * 0 when the normalised prediction equals the normalised target, 4 when opposite.
 */
public final class ByolLoss {
  private ByolLoss() {}

  public static Tensor loss(Tensor prediction, Tensor target) {
    Tensor p = prediction.toFloat().normalize(1);
    Tensor z = target.toFloat().detach().normalize(1);
    return p.mul(z).sum(1).mean().mul(-2).add(2);
  }
}
