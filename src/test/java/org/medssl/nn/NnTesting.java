package org.medssl.nn;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.Tensor;

/** Shared helpers of the network tests: random inputs and the "every weight learns" check. */
final class NnTesting {
  private NnTesting() {
  }

  static Tensor gaussian(RandomGenerator rng, long... shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    float[] values = new float[Math.toIntExact(n)];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) rng.nextGaussian();
    }
    return Tensor.of(values, shape);
  }

  /**
   * A scalar that depends on every element of the outputs through fixed random weights, so that
   * no parameter's gradient cancels by symmetry (as the plain mean of a normalised map would).
   */
  static Tensor randomProjection(List<Tensor> outputs, RandomGenerator rng) {
    Tensor loss = null;
    for (Tensor out : outputs) {
      Tensor term = out.mul(gaussian(rng, out.shape())).mean();
      loss = loss == null ? term : loss.add(term);
    }
    return loss;
  }

  /** After one backward pass: every trainable weight of the store has a nonzero gradient. */
  static void assertEveryParameterHasAGradient(ParamStore store) {
    int checked = 0;
    for (Map.Entry<String, Tensor> e : store.named().entrySet()) {
      if (!e.getValue().requiresGrad()) {
        continue;
      }
      Tensor grad = e.getValue().grad();
      assertNotNull(grad, "no gradient reached " + e.getKey());
      assertTrue(grad.l2Norm() > 0, "zero gradient for " + e.getKey());
      checked++;
    }
    assertTrue(checked > 0, "the store has no parameters");
  }

  static long[] spatial(Tensor t) {
    long[] shape = t.shape();
    return java.util.Arrays.copyOfRange(shape, 2, shape.length);
  }
}
