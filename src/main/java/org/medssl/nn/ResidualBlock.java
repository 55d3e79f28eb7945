package org.medssl.nn;

import org.medssl.tensor.Tensor;

/** One block of a ResNet stage: {@code relu(body(x) + shortcut(x))}. */
interface ResidualBlock {
  Tensor forward(Tensor x, boolean training);
}
