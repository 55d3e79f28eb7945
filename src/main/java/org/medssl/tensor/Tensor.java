package org.medssl.tensor;

import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * A libtorch tensor as the rest of medssl sees it: channel-first, 2D ({@code N,C,H,W}) or 3D
 * ({@code N,C,D,H,W}) feature maps, fp32 unless autocast made it bf16.
 *
 * <p>Operations return new tensors owned by the enclosing {@link StepScope}. Tensors created
 * outside any scope (weights) live until {@link #close()}.
 */
public final class Tensor implements AutoCloseable {
  private final org.bytedeco.pytorch.Tensor t;

  Tensor(org.bytedeco.pytorch.Tensor native_) {
    this.t = native_;
  }

  org.bytedeco.pytorch.Tensor raw() {
    return t;
  }

  // ---- creation -------------------------------------------------------------------------------

  /** A float tensor holding a copy of {@code values} (row-major, last dimension fastest). */
  public static Tensor of(float[] values, long... shape) {
    org.bytedeco.pytorch.Tensor out = empty(values.length, shape, torch.ScalarType.Float);
    out.data_ptr_float().put(values);
    return new Tensor(out);
  }

  /** An int64 tensor (class indices) holding a copy of {@code values}. */
  public static Tensor ofLongs(long[] values, long... shape) {
    org.bytedeco.pytorch.Tensor out = empty(values.length, shape, torch.ScalarType.Long);
    out.data_ptr_long().put(values);
    return new Tensor(out);
  }

  /** An uninitialised tensor of {@code shape} to copy {@code count} values into. */
  private static org.bytedeco.pytorch.Tensor empty(int count, long[] shape, torch.ScalarType type) {
    Engine.ensureLoaded();
    checkCount(count, shape);
    return torch.empty(shape, new TensorOptions(type), null);
  }

  public static Tensor of(TensorData data) {
    return of(data.values(), data.shape());
  }

  public static Tensor zeros(long... shape) {
    Engine.ensureLoaded();
    return new Tensor(torch.zeros(shape, new TensorOptions(torch.ScalarType.Float)));
  }

  /** The n x n identity matrix. */
  public static Tensor eye(long n) {
    Engine.ensureLoaded();
    return new Tensor(torch.eye(n, new TensorOptions(torch.ScalarType.Float)));
  }

  public static Tensor cat(List<Tensor> parts, long dim) {
    TensorVector v = new TensorVector(parts.stream().map(Tensor::raw).toArray(org.bytedeco.pytorch.Tensor[]::new));
    return new Tensor(torch.cat(v, dim));
  }

  private static void checkCount(int count, long[] shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    if (n != count) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + count);
    }
  }

  // ---- inspection -----------------------------------------------------------------------------

  public long[] shape() {
    long[] out = new long[(int) t.dim()];
    for (int i = 0; i < out.length; i++) {
      out[i] = t.size(i);
    }
    return out;
  }

  public long size(int dim) {
    return t.size(dim);
  }

  public int dim() {
    return (int) t.dim();
  }

  public long numel() {
    return t.numel();
  }

  /** The values as fp32, copied to a Java array (row-major). */
  public float[] toFloats() {
    org.bytedeco.pytorch.Tensor f = t.detach().toType(torch.ScalarType.Float).contiguous();
    float[] out = new float[(int) f.numel()];
    f.data_ptr_float().get(out);
    return out;
  }

  public long[] toLongs() {
    org.bytedeco.pytorch.Tensor f = t.detach().toType(torch.ScalarType.Long).contiguous();
    long[] out = new long[(int) f.numel()];
    f.data_ptr_long().get(out);
    return out;
  }

  public TensorData toData() {
    return new TensorData(shape(), toFloats());
  }

  /** True when the values are stored as bfloat16 (what autocast produces). */
  public boolean isBf16() {
    // JavaCPP may hand back a fresh enum object: compare the underlying codes.
    return t.scalar_type().value == torch.ScalarType.BFloat16.value;
  }

  /** The single value of a one-element tensor, as fp32. */
  public float item() {
    return t.detach().toType(torch.ScalarType.Float).item_float();
  }

  // ---- lifetime -------------------------------------------------------------------------------

  /** Keeps this tensor alive past the enclosing {@link StepScope}; pair with {@link #close()}. */
  public Tensor retain() {
    t.retainReference();
    return this;
  }

  @Override
  public void close() {
    t.releaseReference();
  }

  // ---- autograd -------------------------------------------------------------------------------

  public void backward() {
    t.backward();
  }

  public Tensor detach() {
    return new Tensor(t.detach());
  }

  public Tensor requiresGrad(boolean value) {
    t.set_requires_grad(value);
    return this;
  }

  public boolean requiresGrad() {
    return t.requires_grad();
  }

  // ---- element-wise and reductions ------------------------------------------------------------

  public Tensor add(Tensor o) {
    return new Tensor(t.add(o.t));
  }

  public Tensor sub(Tensor o) {
    return new Tensor(t.sub(o.t));
  }

  public Tensor mul(Tensor o) {
    return new Tensor(t.mul(o.t));
  }

  public Tensor div(Tensor o) {
    return new Tensor(t.div(o.t));
  }

  public Tensor sub(double v) {
    return new Tensor(t.sub(new Scalar(v)));
  }

  public Tensor add(double v) {
    return new Tensor(t.add(new Scalar(v)));
  }

  public Tensor mul(double v) {
    return new Tensor(t.mul(new Scalar(v)));
  }

  public Tensor abs() {
    return new Tensor(t.abs());
  }

  public Tensor sum() {
    return new Tensor(t.sum());
  }

  public Tensor mean() {
    return new Tensor(t.mean());
  }

  /** Sum over the given dimensions, dropping them. */
  public Tensor sum(long... dims) {
    return new Tensor(t.sum(dims, false, new ScalarTypeOptional()));
  }

  public Tensor mean(long... dims) {
    return new Tensor(t.mean(dims, false, new ScalarTypeOptional()));
  }

  /** This tensor in fp32 if it is stored in a narrower type (bf16); fp32 and double stay as they are. */
  public Tensor toFloat() {
    return t.scalar_type().value == torch.ScalarType.Double.value ? this : new Tensor(t.toType(torch.ScalarType.Float));
  }

  /** A double-precision copy: the self-check's reference arithmetic. */
  Tensor toDouble() {
    return new Tensor(t.toType(torch.ScalarType.Double));
  }

  /** A bf16 copy, as a convolution under autocast hands its output on. */
  Tensor toBf16() {
    return new Tensor(t.toType(torch.ScalarType.BFloat16));
  }

  /** The same values stored channels-last (NHWC / NDHWC), the layout oneDNN prefers for some kernels. */
  Tensor channelsLast() {
    return new Tensor(t.contiguous(dim() == 4 ? torch.MemoryFormat.ChannelsLast : torch.MemoryFormat.ChannelsLast3d));
  }

  /** The largest absolute difference to {@code other} (NaN when either holds a NaN), in double precision. */
  double maxAbsDifference(Tensor other) {
    org.bytedeco.pytorch.Tensor d = t.toType(torch.ScalarType.Double).sub(other.t.toType(torch.ScalarType.Double));
    return d.numel() == 0 ? 0 : d.abs().max().item_double();
  }

  /** The largest magnitude, in double precision. */
  double maxAbs() {
    return t.numel() == 0 ? 0 : t.toType(torch.ScalarType.Double).abs().max().item_double();
  }

  public Tensor softmax(long dim) {
    return new Tensor(t.softmax(dim, new ScalarTypeOptional(torch.ScalarType.Float)));
  }

  public Tensor argmax(long dim) {
    return new Tensor(torch.argmax(t, new org.bytedeco.pytorch.LongOptional(dim), false));
  }

  /** One-hot encoding of an int64 class map {@code (N, ...)} as float {@code (N, C, ...)}. */
  public Tensor oneHot(int classes) {
    org.bytedeco.pytorch.Tensor oh = torch.one_hot(t, classes).toType(torch.ScalarType.Float);
    long[] perm = new long[(int) oh.dim()];
    perm[0] = 0;
    perm[1] = perm.length - 1;
    for (int i = 2; i < perm.length; i++) {
      perm[i] = i - 1;
    }
    return new Tensor(oh.permute(perm).contiguous());
  }

  public Tensor reshape(long... shape) {
    return new Tensor(t.reshape(shape));
  }

  public Tensor narrow(int dim, long start, long length) {
    return new Tensor(t.narrow(dim, start, length));
  }

  public Tensor flip(long... dims) {
    return new Tensor(t.flip(dims));
  }

  public Tensor contiguous() {
    return new Tensor(t.contiguous());
  }

  public Tensor matmul(Tensor o) {
    return new Tensor(t.matmul(o.t));
  }

  /** Swaps two dimensions. */
  public Tensor transpose(long d0, long d1) {
    return new Tensor(t.transpose(d0, d1));
  }

  /** Picks entries {@code indices} along {@code dim}. */
  public Tensor indexSelect(long dim, long[] indices) {
    org.bytedeco.pytorch.Tensor idx = ofLongs(indices, indices.length).t;
    return new Tensor(torch.index_select(t, dim, idx));
  }

  /** Transpose of a 2D tensor. */
  public Tensor transpose() {
    return new Tensor(t.t());
  }

  /** Fully connected layer: {@code x W^T + b} for x {@code (N, in)}, W {@code (out, in)}. */
  public Tensor linear(Tensor weight, Tensor bias) {
    Tensor y = matmul(weight.transpose());
    return bias == null ? y : y.add(bias);
  }

  /** Divides by the L2 norm along {@code dim} (at least 1e-12), as F.normalize does. */
  public Tensor normalize(long dim) {
    org.bytedeco.pytorch.Tensor n = t.norm(new org.bytedeco.pytorch.ScalarOptional(new Scalar(2.0)), new long[] {dim}, true);
    return new Tensor(t.div(n.clamp_min(new Scalar(1e-12))));
  }

  /** Standard deviation along {@code dim} (population, i.e. divided by n). */
  public Tensor std(long dim) {
    return new Tensor(t.std(new long[] {dim}, false, false));
  }

  /** Mean over spatial dimensions 2.. with the batch and channel kept: global average pooling. */
  public Tensor globalAvgPool() {
    long[] dims = new long[dim() - 2];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = i + 2;
    }
    return mean(dims);
  }

  /** Average pooling with the given kernel and stride (2D or 3D), no padding. */
  public Tensor avgPool(int kernel, int stride) {
    int spatial = dim() - 2;
    long[] k = repeat(kernel, spatial);
    long[] st = repeat(stride, spatial);
    long[] zero = repeat(0, spatial);
    return new Tensor(spatial == 2
        ? torch.avg_pool2d(t, k, st, zero, false, true, new org.bytedeco.pytorch.LongOptional())
        : torch.avg_pool3d(t, k, st, zero, false, true, new org.bytedeco.pytorch.LongOptional()));
  }

  // ---- in-place updates (for optimisers and EMA; call under NoGrad) ----------------------------

  /** The gradient accumulated by the last backward pass, or null if there is none. */
  public Tensor grad() {
    org.bytedeco.pytorch.Tensor g = t.grad();
    return g == null || !g.defined() ? null : new Tensor(g);
  }

  /** {@code this += alpha * other}. */
  public void addInPlace(Tensor other, double alpha) {
    t.add_(other.t, new Scalar(alpha));
  }

  /** {@code this *= factor}. */
  public void mulInPlace(double factor) {
    t.mul_(new Scalar(factor));
  }

  public void copyFrom(Tensor other) {
    t.copy_(other.t);
  }

  /** L2 norm of all elements, as a Java number. */
  public double l2Norm() {
    return t.detach().toType(torch.ScalarType.Float).norm().item_float();
  }

  // ---- network operations ---------------------------------------------------------------------

  /** Convolution with "same" padding for odd kernels; 2D or 3D depending on the weight. */
  public Tensor conv(Tensor weight, Tensor bias, int stride) {
    return conv(weight, bias, stride, 1, 1);
  }

  /**
   * Transposed convolution with kernel = stride (exact up-sampling by {@code stride}). The weight is
   * {@code (in, out, k, k[, k])}; under {@link EngineConfig#padChannels} both channel counts are
   * padded to whole blocks ({@link ChannelPadding}).
   */
  public Tensor convTranspose(Tensor weight, Tensor bias, int stride) {
    int spatial = weight.dim() - 2;
    long[] s = repeat(stride, spatial);
    long[] zero = repeat(0, spatial);
    long in = weight.size(0);
    long out = weight.size(1);
    boolean pad = Engine.config().padChannels() && ChannelPadding.changes(in, out, 1, requiresGrad());
    long addIn = pad ? ChannelPadding.missingInput(in, requiresGrad()) : 0;
    long addOut = pad ? ChannelPadding.missing(out) : 0;
    org.bytedeco.pytorch.Tensor x = ChannelPadding.pad(t, 1, addIn);
    org.bytedeco.pytorch.Tensor w = ChannelPadding.pad(ChannelPadding.pad(weight.t, 0, addIn), 1, addOut);
    TensorOptional b = optional(pad ? ChannelPadding.padBias(bias, addOut) : bias == null ? null : bias.t);
    org.bytedeco.pytorch.Tensor y = spatial == 2
        ? torch.conv_transpose2d(x, w, b, s, zero, zero, 1, repeat(1, spatial))
        : torch.conv_transpose3d(x, w, b, s, zero, zero, 1, repeat(1, spatial));
    return new Tensor(addOut > 0 ? y.narrow(1, 0, out) : y);
  }

  /**
   * Instance normalisation (per sample and channel, eps 1e-5) with affine weight and bias.
   *
   * <p>Computed as group normalisation with one group per channel, which is the same arithmetic:
   * libtorch's {@code instance_norm} folds the batch into channels, repeats the affine parameters
   * and runs batch norm, which measured up to 11x slower forward and up to 8x slower forward +
   * backward than the fused group-norm kernel on our feature-map sizes (README, Performance).
   */
  public Tensor instanceNorm(Tensor weight, Tensor bias) {
    return new Tensor(torch.group_norm(t, size(1), new TensorOptional(weight.t), new TensorOptional(bias.t), 1e-5,
        false));
  }

  public Tensor groupNorm(int groups, Tensor weight, Tensor bias) {
    return new Tensor(torch.group_norm(t, groups, new TensorOptional(weight.t), new TensorOptional(bias.t), 1e-5, false));
  }

  /** Batch normalisation; in training mode it updates the running statistics in place. */
  public Tensor batchNorm(Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar, boolean training) {
    return new Tensor(torch.batch_norm(t, new TensorOptional(weight.t), new TensorOptional(bias.t),
        new TensorOptional(runningMean.t), new TensorOptional(runningVar.t), training, 0.1, 1e-5, false));
  }

  public Tensor leakyRelu(double slope) {
    return new Tensor(torch.leaky_relu(t, new Scalar(slope)));
  }

  public Tensor relu() {
    return new Tensor(t.relu());
  }

  /** Max pooling with kernel = stride = {@code factor}, 2D or 3D depending on this tensor. */
  public Tensor maxPool(int factor) {
    int spatial = dim() - 2;
    long[] k = repeat(factor, spatial);
    long[] zero = repeat(0, spatial);
    long[] one = repeat(1, spatial);
    return new Tensor(spatial == 2
        ? torch.max_pool2d(t, k, k, zero, one, false)
        : torch.max_pool3d(t, k, k, zero, one, false));
  }

  /** Mean cross-entropy of logits {@code (N, C, ...)} against int64 targets {@code (N, ...)}. */
  public Tensor crossEntropy(Tensor targets) {
    return new Tensor(torch.cross_entropy_loss(t, targets.t, new TensorOptional(), 1, -100, 0.0));
  }

  private static long[] repeat(long v, int n) {
    long[] out = new long[n];
    Arrays.fill(out, v);
    return out;
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape());
  }

  // ---- ops for ResNet encoders and the decoder-light network ----

  /**
   * Convolution with dilation and channel groups, padded by {@code dilation * (k - 1) / 2} so that
   * stride 1 keeps the size for odd kernels (the 3x3 taps of a dilated ASPP branch reach
   * {@code dilation} voxels out). The weight is {@code (out, in / groups, k, k[, k])}; groups equal
   * to the input channels make it depthwise, the first half of a separable convolution. Under
   * autocast it runs in bf16, as {@link #conv(Tensor, Tensor, int)} does. Under
   * {@link EngineConfig#padChannels} plain and depthwise convolutions get whole channel blocks
   * ({@link ChannelPadding}); the values are the same.
   */
  public Tensor conv(Tensor weight, Tensor bias, int stride, int dilation, int groups) {
    int spatial = weight.dim() - 2;
    long k = weight.size(2);
    long[] s = repeat(stride, spatial);
    long[] p = repeat(dilation * (k - 1) / 2, spatial);
    long[] d = repeat(dilation, spatial);
    long out = weight.size(0);
    if (!Engine.config().padChannels() || !ChannelPadding.changes(size(1), out, groups, requiresGrad())) {
      return new Tensor(convolve(t, weight.t, bias == null ? null : bias.t, s, p, d, groups));
    }
    boolean depthwise = groups > 1;
    long addOut = ChannelPadding.missing(out);
    long addIn = depthwise ? addOut : ChannelPadding.missingInput(size(1), requiresGrad());
    org.bytedeco.pytorch.Tensor x = ChannelPadding.pad(t, 1, addIn);
    org.bytedeco.pytorch.Tensor w = ChannelPadding.pad(depthwise ? weight.t : ChannelPadding.pad(weight.t, 1, addIn), 0, addOut);
    org.bytedeco.pytorch.Tensor y = convolve(x, w, ChannelPadding.padBias(bias, addOut), s, p, d,
        depthwise ? groups + addOut : groups);
    return new Tensor(addOut > 0 ? y.narrow(1, 0, out) : y);
  }

  /**
   * conv2d or conv3d. A 3D convolution whose input has depth 2 runs in fp32 with autocast suspended
   * when it records gradients: libtorch 2.10's bf16 conv3d on AVX512-BF16 CPUs returned NaN or
   * infinite weight gradients at depth 2 (2x5x5 to 2x12x12 maps, 8 to 32 channels; depths 1, 3, 4,
   * 8 were fine), and a 16-slice patch through a four-stage encoder has depth 2 at the bottleneck.
   * Convolutions that record no gradient (inference, an EMA target) stay in bf16, which made PGL's
   * no-grad forward pass 1.3x faster. The self-check covers this shape ({@link OpProbes}).
   */
  private static org.bytedeco.pytorch.Tensor convolve(org.bytedeco.pytorch.Tensor x, org.bytedeco.pytorch.Tensor w,
      org.bytedeco.pytorch.Tensor bias, long[] s, long[] p, long[] d, long groups) {
    if (fp32AtDepth2((int) w.dim(), x.size(2)) && torch.is_autocast_enabled(torch.DeviceType.CPU) && GradMode.is_enabled()
        && (w.requires_grad() || x.requires_grad())) {
      torch.set_autocast_enabled(torch.DeviceType.CPU, false);
      try {
        org.bytedeco.pytorch.Tensor b = bias == null ? null : bias.toType(torch.ScalarType.Float);
        return torch.conv3d(x.toType(torch.ScalarType.Float), w.toType(torch.ScalarType.Float), optional(b), s, p, d, groups);
      } finally {
        torch.set_autocast_enabled(torch.DeviceType.CPU, true);
      }
    }
    return w.dim() == 4
        ? torch.conv2d(x, w, optional(bias), s, p, d, groups)
        : torch.conv3d(x, w, optional(bias), s, p, d, groups);
  }

  /** True for the 3D convolutions at depth 2 that {@link #convolve} takes out of bf16 when they record gradients. */
  static boolean fp32AtDepth2(int weightDims, long inputDepth) {
    return weightDims == 5 && inputDepth == 2;
  }

  private static TensorOptional optional(org.bytedeco.pytorch.Tensor t) {
    return t == null ? new TensorOptional() : new TensorOptional(t);
  }

  /**
   * A view repeating size-1 dimensions up to {@code shape} without copying (torch's
   * {@code expand}): how ASPP's image-pooling branch goes back to the feature map's size.
   */
  public Tensor expand(long... shape) {
    return new Tensor(t.expand(shape));
  }

  // ---- ops for PGL alignment ----

  /**
   * Samples this {@code (N, C, [D,] H, W)} map at the points of {@code grid}, shaped
   * {@code (N, [D',] H', W', k)} with k = 2 or 3 normalised coordinates in the order x (width), y
   * (height)[, z (depth)]: -1 and +1 are the outer edges of the first and last voxels
   * ({@code align_corners=False}). Linear interpolation (trilinear for volumes); points beyond the
   * outermost voxel centres take the border value. Differentiable with respect to this tensor: the
   * crop-and-resize of RoIAlign with one sample per bin. Both tensors must have the same dtype.
   */
  public Tensor gridSample(Tensor grid) {
    long bilinear = 0;
    long border = 1;
    return new Tensor(torch.grid_sampler(t, grid.t, bilinear, border, false));
  }
}
