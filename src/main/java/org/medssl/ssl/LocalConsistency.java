package org.medssl.ssl;

import org.medssl.tensor.Tensor;

/**
 * PGL's local consistency loss (Xie et al. 2021, eq. 8): at every voxel of two aligned maps
 * {@code (N, C, spatial...)}, the squared distance between the channel vectors after L2
 * normalisation along the channels, averaged over samples and voxels. Per voxel this is
 * {@code 2 - 2 cos}, BYOL's loss made dense: 0 where the directions agree, 4 where opposite. The
 * target is detached; the method adds the term with the views' roles swapped.
 */
public final class LocalConsistency {
  private LocalConsistency() {}

  public static Tensor loss(Tensor prediction, Tensor target) {
    Tensor p = prediction.toFloat().normalize(1);
    Tensor z = target.toFloat().detach().normalize(1);
    Tensor diff = p.sub(z);
    return diff.mul(diff).sum(1).mean();
  }
}
