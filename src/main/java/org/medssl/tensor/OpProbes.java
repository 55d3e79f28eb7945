package org.medssl.tensor;

import static org.medssl.tensor.OpProbe.Role.ACTIVATION;
import static org.medssl.tensor.OpProbe.Role.CONSTANT;
import static org.medssl.tensor.OpProbe.Role.LABELS;
import static org.medssl.tensor.OpProbe.Role.WEIGHT;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.medssl.tensor.OpProbe.Family;
import org.medssl.tensor.OpProbe.Input;

/**
 * The operations the self-check runs: every op medssl's networks, heads and losses call, in 2D
 * and 3D, at the channel widths of the reference configurations (the demo's and the 3D study's
 * 8-16-32-64 U-Nets, unet2d's 16-256, PGL's projector) plus a width off the 8-channel grid.
 * Spatial sizes are small: the faults seen so far depend on channel counts and depth far more
 * than on size, and the reference runs in double precision. The 3D convolution at depth 2 is the
 * bottleneck of a 16-slice patch, where bf16 weight gradients were once NaN.
 */
final class OpProbes {
  private static final long N = 2;

  private OpProbes() {}

  /**
   * The probe set as text (ops, problems, input shapes and roles) and the tolerances, for the cache
   * key: a verdict from a different check is not trusted. Builds no tensors.
   */
  static String fingerprint() {
    String probes = all().stream()
        .map(p -> p.op() + " " + p.shape() + " " + p.family() + " " + p.inputs().stream()
            .map(i -> i.role() + Arrays.toString(i.shape()) + "<" + i.bound())
            .collect(Collectors.joining(",")))
        .collect(Collectors.joining("\n"));
    return probes + "\ntolerances " + SelfCheck.FP32_TOLERANCE + " " + SelfCheck.BF16_TOLERANCE;
  }

  /** Every probe, 2D then 3D then the non-spatial ones. */
  static List<OpProbe> all() {
    List<OpProbe> out = new ArrayList<>();
    out.addAll(spatial(new long[] {32, 32}));
    out.addAll(spatial(new long[] {8, 16, 16}));
    out.add(conv(new long[] {2, 6, 6}, 64, 64, 3, 1, true, false));
    out.add(avgPool(new long[] {32, 32}));
    out.addAll(flat());
    return out;
  }

  private static List<OpProbe> spatial(long[] size) {
    long[] half = scaled(size, 2);
    long[] small = scaled(size, 4);
    long[] large = scaled(size, 0.5);
    return List.of(
        conv(large, 1, 8, 3, 1, false, false), // a network's first layer: the image needs no gradient
        conv(large, 4, 8, 3, 1, false, false), // ... of a 4-channel image, the most left unpadded
        conv(size, 8, 8, 3, 1, true, false),
        conv(size, 16, 8, 3, 1, true, false), // decoder block after the skip concatenation
        conv(size, 8, 16, 3, 1, true, false),
        conv(size, 16, 16, 3, 1, true, false),
        conv(size, 24, 24, 3, 1, true, false),
        conv(half, 32, 64, 3, 1, true, false),
        conv(small, 128, 128, 3, 1, true, false),
        conv(small, 128, 256, 3, 1, true, false), // unet2d's bottleneck
        conv(size, 16, 32, 3, 2, true, false), // ResNet downsampling
        conv(size, 8, 4, 1, 1, true, true), // segmentation head
        conv(half, 64, 128, 1, 1, true, true), // PGL's projector
        depthwise(size, 8, 2), // separable convolution of the light decoder
        convTranspose(half, 16, 8),
        convTranspose(small, 64, 32),
        simple("maxpool2", size, 8, x -> x.get(0).maxPool(2)),
        simple("leakyrelu", size, 8, x -> x.get(0).leakyRelu(0.01)),
        simple("relu", size, 8, x -> x.get(0).relu()),
        simple("globalavgpool", size, 8, x -> x.get(0).globalAvgPool()),
        probe("cat", describe(map(size, 8)) + " + 8", Family.OTHER, x -> Tensor.cat(List.of(x.get(0), x.get(1)), 1),
            Input.of(ACTIVATION, map(size, 8)), Input.of(ACTIVATION, map(size, 8))),
        norm("instancenorm", size, 8, x -> x.get(0).instanceNorm(x.get(1), x.get(2))),
        norm("groupnorm", size, 16, x -> x.get(0).groupNorm(4, x.get(1), x.get(2))),
        batchNorm(size, 8),
        gridSample(size, 8));
  }

  private static List<OpProbe> flat() {
    return List.of(
        probe("linear", "16x64 -> 128", Family.OTHER, x -> x.get(0).linear(x.get(1), x.get(2)),
            Input.of(ACTIVATION, 16, 64), Input.of(WEIGHT, 128, 64), Input.of(WEIGHT, 128)),
        probe("matmul", "32x128 . 128x32", Family.OTHER, x -> x.get(0).matmul(x.get(0).transpose()),
            Input.of(ACTIVATION, 32, 128)),
        batchNorm(new long[0], 64),
        probe("normalize", "32x128", Family.OTHER, x -> x.get(0).normalize(1), Input.of(ACTIVATION, 32, 128)),
        probe("softmax", "2x4x32x32", Family.OTHER, x -> x.get(0).softmax(1), Input.of(ACTIVATION, 2, 4, 32, 32)),
        probe("crossentropy", "2x4x32x32", Family.OTHER, x -> x.get(0).crossEntropy(x.get(1)),
            Input.of(ACTIVATION, 2, 4, 32, 32), new Input(new long[] {2, 32, 32}, LABELS, 4)));
  }

  static OpProbe conv(long[] size, long in, long out, int k, int stride, boolean inputGrad, boolean bias) {
    int d = size.length;
    List<Input> inputs = new ArrayList<>(List.of(Input.of(inputGrad ? ACTIVATION : CONSTANT, map(size, in)),
        Input.of(WEIGHT, kernel(out, in, k, d))));
    if (bias) {
      inputs.add(Input.of(WEIGHT, out));
    }
    String name = "conv" + k + "x" + k + (d == 3 ? "x" + k : "") + (stride > 1 ? " s" + stride : "");
    return new OpProbe(name, describe(map(size, in)) + " -> " + out, Family.CONV, inputs,
        x -> x.get(0).conv(x.get(1), bias ? x.get(2) : null, stride));
  }

  private static OpProbe depthwise(long[] size, long channels, int dilation) {
    int d = size.length;
    return probe("dwconv3 d" + dilation, describe(map(size, channels)), Family.CONV,
        x -> x.get(0).conv(x.get(1), null, 1, dilation, (int) channels),
        Input.of(ACTIVATION, map(size, channels)), Input.of(WEIGHT, kernel(channels, 1, 3, d)));
  }

  private static OpProbe convTranspose(long[] size, long in, long out) {
    int d = size.length;
    return probe("convT2 s2", describe(map(size, in)) + " -> " + out, Family.CONV_TRANSPOSE,
        x -> x.get(0).convTranspose(x.get(1), x.get(2), 2),
        Input.of(ACTIVATION, map(size, in)), Input.of(WEIGHT, kernel(in, out, 2, d)), Input.of(WEIGHT, out));
  }

  private static OpProbe simple(String op, long[] size, long channels, Function<List<Tensor>, Tensor> call) {
    return probe(op, describe(map(size, channels)), Family.OTHER, call, Input.of(ACTIVATION, map(size, channels)));
  }

  private static OpProbe norm(String op, long[] size, long channels, Function<List<Tensor>, Tensor> call) {
    return probe(op, describe(map(size, channels)), Family.OTHER, call, Input.of(ACTIVATION, map(size, channels)),
        Input.of(WEIGHT, channels), Input.of(WEIGHT, channels));
  }

  /** Batch norm in training mode; running statistics are updated in place, so they are constants. */
  private static OpProbe batchNorm(long[] size, long channels) {
    long[] shape = size.length == 0 ? new long[] {16, channels} : map(size, channels);
    return probe("batchnorm", describe(shape), Family.OTHER,
        x -> x.get(0).batchNorm(x.get(1), x.get(2), x.get(3), x.get(4), true),
        Input.of(ACTIVATION, shape),
        Input.of(WEIGHT, channels), Input.of(WEIGHT, channels), Input.of(CONSTANT, channels), Input.of(CONSTANT, channels));
  }

  /** PGL's RoIAlign: sampling a feature map at a grid of points (fp32, as PriorAlignment calls it). */
  private static OpProbe gridSample(long[] size, long channels) {
    long[] grid = new long[size.length + 2];
    grid[0] = N;
    System.arraycopy(scaled(size, 2), 0, grid, 1, size.length);
    grid[grid.length - 1] = size.length;
    return probe("gridsample", describe(map(size, channels)), Family.OTHER, x -> x.get(0).toFloat().gridSample(x.get(1)),
        Input.of(ACTIVATION, map(size, channels)), Input.of(CONSTANT, grid));
  }

  private static OpProbe avgPool(long[] size) {
    return simple("avgpool3", size, 16, x -> x.get(0).toFloat().avgPool(3, 1));
  }

  private static OpProbe probe(String op, String shape, Family family, Function<List<Tensor>, Tensor> call,
      Input... inputs) {
    return new OpProbe(op, shape, family, List.of(inputs), call);
  }

  /** The batch and channel dimensions in front of a spatial size. */
  private static long[] map(long[] size, long channels) {
    return LongStream.concat(LongStream.of(N, channels), Arrays.stream(size)).toArray();
  }

  private static long[] kernel(long first, long second, int k, int dims) {
    return LongStream.concat(LongStream.of(first, second), LongStream.generate(() -> k).limit(dims)).toArray();
  }

  private static long[] scaled(long[] size, double divisor) {
    return Arrays.stream(size).map(s -> Math.max(2, (long) (s / divisor))).toArray();
  }

  private static String describe(long[] shape) {
    return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining("x"));
  }
}
