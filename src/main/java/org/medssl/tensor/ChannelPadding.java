package org.medssl.tensor;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.global.torch;

/**
 * Zero-padding of convolution channels to whole 16-channel blocks, the {@link EngineConfig#PAD16}
 * route around a oneDNN fault.
 *
 * <p>oneDNN's AVX-512 convolutions work on channels in blocks of 16. A tensor whose channel count
 * is not a multiple of 16 is first reordered into that blocked layout with the tail of the last
 * block padded, and on some CPUs (seen on AMD Zen 5 VMs with libtorch 2.10 / oneDNN 3.7) that
 * padding is left holding whatever the memory held before: forward outputs (more than 8 input
 * channels) and input gradients (any output count off the block) come out wrong or NaN, at random.
 * With the channels padded here the reorders have no tail. Zero input channels meet zero weights
 * and padded output channels are cut off again, so values are exactly the unpadded convolution's
 * and the gradients of the real weights and inputs are exact. The blocked kernels already compute
 * whole blocks, so the extra cost is the copies, and the memory of the padded inputs autograd keeps
 * for the backward pass (up to twice an 8-channel stage's activations).
 *
 * <p>An input with few channels (an image) that needs no gradient keeps its size: the kernels for
 * a network's first layer read it without a blocked reorder, and padding it would multiply that
 * layer's work.
 */
final class ChannelPadding {
  static final int BLOCK = 16;
  /** Largest input-channel count that oneDNN reads unblocked in a first-layer kernel. */
  private static final long FIRST_LAYER_CHANNELS = 4;

  private ChannelPadding() {}

  /** Channels to add to reach the next multiple of {@link #BLOCK}. */
  static long missing(long channels) {
    return (BLOCK - channels % BLOCK) % BLOCK;
  }

  /** Channels to add to a convolution's input of {@code channels}, given whether it records a gradient. */
  static long missingInput(long channels, boolean inputNeedsGrad) {
    return inputNeedsGrad || channels > FIRST_LAYER_CHANNELS ? missing(channels) : 0;
  }

  /**
   * True when the padded route changes a convolution with these channel counts: plain ones
   * ({@code groups} 1) and depthwise ones (groups = in = out, padded together); other grouped
   * convolutions are left alone.
   */
  static boolean changes(long in, long out, long groups, boolean inputNeedsGrad) {
    if (groups > 1) {
      return groups == in && groups == out && missing(out) > 0;
    }
    return missingInput(in, inputNeedsGrad) > 0 || missing(out) > 0;
  }

  /** {@code t} with {@code extra} zero channels appended along dimension {@code dim} (counted from the front). */
  static org.bytedeco.pytorch.Tensor pad(org.bytedeco.pytorch.Tensor t, int dim, long extra) {
    if (extra == 0) {
      return t;
    }
    // constant_pad_nd takes (before, after) pairs starting from the last dimension.
    long[] spec = new long[2 * ((int) t.dim() - dim)];
    spec[spec.length - 1] = extra;
    return torch.constant_pad_nd(t, spec, new Scalar(0.0));
  }

  /** A bias padded like the output channels, or null. */
  static org.bytedeco.pytorch.Tensor padBias(Tensor bias, long extra) {
    return bias == null ? null : pad(bias.raw(), 0, extra);
  }
}
