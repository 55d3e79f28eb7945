package org.medssl.tensor;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * One operation the self-check runs the way medssl's networks run it: its inputs, the call, and
 * the kernel family it lands in.
 *
 * @param op a short name, e.g. {@code conv3x3}
 * @param shape the problem, e.g. {@code 2x8x32x32 -> 8}
 * @param family which kernels serve it, for the route column of the table
 * @param inputs the tensors the call takes, in order
 * @param call the operation on those tensors (public {@link Tensor} methods, so every route
 *     medssl takes is what gets checked)
 */
record OpProbe(String op, String shape, Family family, List<Input> inputs, Function<List<Tensor>, Tensor> call) {

  /** The kernel family: convolutions go through oneDNN and the channel padding, the rest through ATen. */
  enum Family { CONV, CONV_TRANSPOSE, OTHER }

  /** What an input is, which decides its dtype, layout and whether its gradient is checked. */
  enum Role {
    /** A feature map: bf16 under bf16 (as a convolution's output is), gradient checked. */
    ACTIVATION,
    /** A trained parameter: fp32 always, gradient checked. */
    WEIGHT,
    /** Data without gradient (an image, a sampling grid, running statistics): fp32. */
    CONSTANT,
    /** Class indices in [0, bound). */
    LABELS
  }

  /** One input: its shape and role; {@code bound} is the class count of labels. */
  record Input(long[] shape, Role role, int bound) {
    static Input of(Role role, long... shape) {
      return new Input(shape, role, 0);
    }

    boolean hasGradient() {
      return role == Role.ACTIVATION || role == Role.WEIGHT;
    }

    int count() {
      return (int) Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }
  }
}
