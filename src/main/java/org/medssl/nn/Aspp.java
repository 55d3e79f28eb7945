package org.medssl.nn;

import java.util.ArrayList;
import java.util.List;
import org.medssl.tensor.Tensor;

/**
 * Atrous spatial pyramid pooling on the bottleneck (Chen et al. 2018, as PGL's decoder-light
 * network uses it): a 1x1 branch, separable 3x3(x3) branches at dilation 2, 4 and 8, and an
 * image-pooling branch, concatenated and projected back to {@code width} channels. It lets the
 * coarsest features see context from the whole patch before decoding.
 *
 * <p>The pooling branch has a bias and no norm: its map is a single voxel per sample, where
 * instance norm is undefined and batch norm degenerates with small batches.
 */
final class Aspp {
  static final List<Integer> DILATIONS = List.of(2, 4, 8);
  private final ConvNorm pointBranch;
  private final List<SeparableConv> atrousBranches = new ArrayList<>();
  private final Tensor poolWeight;
  private final Tensor poolBias;
  private final ConvNorm projection;

  /** Weights {@code name.branch0.*}, {@code name.dilationD.*}, {@code name.pool.*}, {@code name.project.*}. */
  Aspp(Layers layers, String name, int in, int width) {
    this.pointBranch = new ConvNorm(layers, name + ".branch0", "", in, width, 1, 1);
    for (int d : DILATIONS) {
      atrousBranches.add(new SeparableConv(layers, name + ".dilation" + d, in, width, d));
    }
    this.poolWeight = layers.convWeight(name + ".pool.w", width, in, 1);
    this.poolBias = layers.bias(name + ".pool.b", width);
    int branches = 2 + DILATIONS.size();
    this.projection = new ConvNorm(layers, name + ".project", "", branches * width, width, 1, 1);
  }

  /** {@code (N, in, ...)} to {@code (N, width, ...)}, same spatial size, after ReLU. */
  Tensor forward(Tensor x, boolean training) {
    List<Tensor> branches = new ArrayList<>();
    branches.add(pointBranch.forward(x, training).relu());
    for (SeparableConv branch : atrousBranches) {
      branches.add(branch.forward(x, training).relu());
    }
    branches.add(imagePooling(x));
    return projection.forward(Tensor.cat(branches, 1), training).relu();
  }

  /** Global average, 1x1 convolution and ReLU, broadcast back to the size of {@code x}. */
  private Tensor imagePooling(Tensor x) {
    long[] pooledShape = x.shape();
    for (int i = 2; i < pooledShape.length; i++) {
      pooledShape[i] = 1;
    }
    Tensor pooled = x.globalAvgPool().reshape(pooledShape).conv(poolWeight, poolBias, 1).relu();
    long[] outShape = x.shape();
    outShape[1] = pooled.size(1);
    return pooled.expand(outShape);
  }
}
