package org.medssl.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.medssl.tensor.OpProbe.Family;
import org.medssl.tensor.OpProbe.Input;
import org.medssl.tensor.OpProbe.Role;

/**
 * Runs {@link OpProbes} on one {@link EngineConfig} and compares every output and gradient with
 * the same op in double precision (which no oneDNN kernel serves, so the reference takes ATen's
 * plain loops, with no channel padding either).
 *
 * <p>The faults this is for read memory nobody wrote, so their results depend on what the
 * allocator hands out. Before each run the check fills freed memory with NaN, which makes such a
 * read come out NaN far more often than not (as long as glibc serves the next buffers from its
 * heap, which runtime-env.sh's malloc settings make it do at every size); each probe also runs on
 * several random draws.
 */
final class SelfCheck {
  static final double FP32_TOLERANCE = 1e-3;
  /** bf16 keeps 8 bits of mantissa: one rounding of the output is 0.4 %, a correct op stays well below 3 %. */
  static final double BF16_TOLERANCE = 3e-2;

  /** Memory layouts of the feature maps and weights. */
  enum Layout {
    CHANNELS_FIRST("NCHW"),
    CHANNELS_LAST("NHWC");

    final String label;

    Layout(String label) {
      this.label = label;
    }
  }

  private final int draws;
  private final long seed;

  SelfCheck(int draws, long seed) {
    this.draws = draws;
    this.seed = seed;
  }

  /** Every probe in every precision and layout given, on {@code config} (which must run in this process). */
  List<CheckRow> run(EngineConfig config, List<OpProbe> probes, List<Precision> precisions, List<Layout> layouts) {
    EngineConfig before = Engine.config();
    Engine.use(config);
    try {
      List<CheckRow> rows = new ArrayList<>();
      for (Layout layout : layouts) {
        for (Precision precision : precisions) {
          for (int i = 0; i < probes.size(); i++) {
            rows.add(check(config, probes.get(i), i, precision, layout));
          }
        }
      }
      return rows;
    } finally {
      Engine.use(before);
    }
  }

  private CheckRow check(EngineConfig config, OpProbe probe, int index, Precision precision, Layout layout) {
    Worst worst = new Worst();
    double[] millis = new double[draws];
    for (int draw = 0; draw < draws; draw++) {
      SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + index * 101L + draw);
      float[][] values = probe.inputs().stream().map(in -> draw(in, rng, precision)).toArray(float[][]::new);
      poisonFreedMemory();
      try (StepScope scope = StepScope.open()) {
        Result candidate = runCandidate(probe, values, rng.split(), precision, layout);
        Engine.use(EngineConfig.NATIVE); // the reference takes no route under test (no padding)
        try {
          worst.fold(probe, candidate, runReference(probe, values, candidate.upstream));
        } finally {
          Engine.use(config);
        }
        millis[draw] = candidate.millis;
      } catch (RuntimeException e) {
        worst.fail(); // a kernel that throws is as wrong as one that returns NaN
        millis[draw] = Double.NaN;
      }
    }
    double tolerance = precision == Precision.BF16 ? BF16_TOLERANCE : FP32_TOLERANCE;
    return new CheckRow(probe.op(), probe.shape(), precision.label(), layout.label, path(probe, config, precision),
        worst.output, worst.inputGrad, worst.weightGrad, worst.maxAbsDifference, worst.within(tolerance),
        median(millis));
  }

  private static double median(double[] values) {
    double[] finite = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
    return finite.length == 0 ? Double.NaN : finite[finite.length / 2];
  }

  /**
   * The worst relative errors over the draws of one probe, per compared tensor kind, and the
   * largest absolute difference; -1 where the op has no gradient of that kind, NaN once any value
   * was not finite.
   */
  private static final class Worst {
    double output;
    double inputGrad = -1;
    double weightGrad = -1;
    double maxAbsDifference;

    void fold(OpProbe probe, Result candidate, Result reference) {
      output = worse(output, relative(candidate.output, reference.output));
      maxAbsDifference = worse(maxAbsDifference, candidate.output.maxAbsDifference(reference.output));
      int g = 0;
      for (Input spec : probe.inputs()) {
        if (!spec.hasGradient()) {
          continue;
        }
        Tensor c = candidate.gradients.get(g);
        Tensor r = reference.gradients.get(g++);
        boolean missing = c == null || r == null;
        double error = missing ? Double.NaN : relative(c, r);
        maxAbsDifference = worse(maxAbsDifference, missing ? Double.NaN : c.maxAbsDifference(r));
        if (spec.role() == Role.ACTIVATION) {
          inputGrad = worse(Math.max(inputGrad, 0), error);
        } else {
          weightGrad = worse(Math.max(weightGrad, 0), error);
        }
      }
    }

    void fail() {
      output = Double.NaN;
      inputGrad = inputGrad < 0 ? inputGrad : Double.NaN;
      weightGrad = weightGrad < 0 ? weightGrad : Double.NaN;
      maxAbsDifference = Double.NaN;
    }

    /** False when any error is NaN or above the tolerance. */
    boolean within(double tolerance) {
      return Math.max(output, Math.max(inputGrad, weightGrad)) <= tolerance;
    }
  }

  /** The output and the gradients of the inputs that have one, and what the step cost. */
  private record Result(Tensor output, List<Tensor> gradients, Tensor upstream, double millis) {}

  private static Result runCandidate(OpProbe probe, float[][] values, SplittableRandom rng, Precision precision,
      Layout layout) {
    List<Tensor> inputs = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      Input spec = probe.inputs().get(i);
      Tensor t = tensor(spec, values[i]);
      if (spec.role() == Role.ACTIVATION && precision == Precision.BF16) {
        t = t.toBf16();
      }
      if (layout == Layout.CHANNELS_LAST && t.dim() >= 4 && spec.role() != Role.LABELS) {
        t = t.channelsLast();
      }
      inputs.add(spec.hasGradient() ? t.requiresGrad(true) : t);
    }
    long start = System.nanoTime();
    Tensor output;
    try (Autocast autocast = Autocast.of(precision)) {
      output = probe.call().apply(inputs);
    }
    long forward = System.nanoTime() - start;
    Tensor upstream = Tensor.of(GaussianValues.draw(rng, output.shape(), 1), output.shape());
    start = System.nanoTime();
    output.toFloat().mul(upstream).sum().backward();
    long backward = System.nanoTime() - start;
    return new Result(output, gradients(probe, inputs), upstream, (forward + backward) / 1e6);
  }

  private static Result runReference(OpProbe probe, float[][] values, Tensor upstream) {
    List<Tensor> inputs = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      Input spec = probe.inputs().get(i);
      Tensor t = tensor(spec, values[i]);
      t = spec.role() == Role.LABELS ? t : t.toDouble();
      inputs.add(spec.hasGradient() ? t.requiresGrad(true) : t);
    }
    Tensor output = probe.call().apply(inputs);
    output.toDouble().mul(upstream.toDouble()).sum().backward();
    return new Result(output, gradients(probe, inputs), upstream, 0);
  }

  private static List<Tensor> gradients(OpProbe probe, List<Tensor> inputs) {
    List<Tensor> out = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      if (probe.inputs().get(i).hasGradient()) {
        out.add(inputs.get(i).grad());
      }
    }
    return out;
  }

  private static double relative(Tensor candidate, Tensor reference) {
    double scale = reference.maxAbs();
    double diff = candidate.maxAbsDifference(reference);
    return scale > 0 ? diff / scale : diff;
  }

  private static double worse(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
  }

  /**
   * The route an op takes: oneDNN (capped or not), with or without padded channels, or ATen's
   * own kernels; {@link ChannelPadding#changes} decides padding here as it does in {@link Tensor}.
   */
  static String path(OpProbe probe, EngineConfig config, Precision precision) {
    if (probe.family() == Family.OTHER) {
      return "ATen";
    }
    if (!config.oneDnn()) {
      return "ATen (oneDNN off)";
    }
    String path = config.isaCap() == null ? "oneDNN" : "oneDNN<=" + config.isaCap();
    long[] x = probe.inputs().get(0).shape();
    long[] w = probe.inputs().get(1).shape();
    boolean transposed = probe.family() == Family.CONV_TRANSPOSE;
    long in = transposed ? w[0] : x[1];
    long out = transposed ? w[1] : w[0];
    long groups = w[1] == 1 && !transposed ? in : 1;
    if (config.padChannels() && ChannelPadding.changes(in, out, groups, probe.inputs().get(0).hasGradient())) {
      path += " pad16";
    }
    if (precision == Precision.BF16 && !transposed && Tensor.fp32AtDepth2(w.length, x[2])) {
      path += ", fp32 at depth 2";
    }
    return path;
  }

  private static Tensor tensor(Input spec, float[] values) {
    if (spec.role() == Role.LABELS) {
      long[] labels = new long[values.length];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = (long) values[i];
      }
      return Tensor.ofLongs(labels, spec.shape());
    }
    return Tensor.of(values, spec.shape());
  }

  /**
   * Values for one input: feature maps standard normal, weights scaled by fan-in as initialised,
   * constants uniform in [-1.1, 1.1] (sampling grids reach past the edges), labels uniform
   * classes. Under bf16 every value is rounded to bf16 first, so both sides start from the same
   * numbers and only the op's own arithmetic differs.
   */
  private static float[] draw(Input in, SplittableRandom rng, Precision precision) {
    int n = in.count();
    float[] v = new float[n];
    long fanIn = in.shape().length > 1 ? n / in.shape()[0] : 1;
    for (int i = 0; i < n; i++) {
      v[i] = switch (in.role()) {
        case ACTIVATION -> (float) rng.nextGaussian();
        case WEIGHT -> (float) (rng.nextGaussian() / Math.sqrt(fanIn));
        case CONSTANT -> (float) rng.nextDouble(-1.1, 1.1);
        case LABELS -> rng.nextInt(in.bound());
      };
      if (precision == Precision.BF16 && in.role() != Role.LABELS) {
        v[i] = roundToBf16(v[i]);
      }
    }
    return v;
  }

  /** Round to nearest even at bf16's 8-bit mantissa, as the hardware conversion does. */
  static float roundToBf16(float f) {
    int bits = Float.floatToRawIntBits(f);
    int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
    return Float.intBitsToFloat(rounded & 0xFFFF0000);
  }

  /**
   * Allocates and frees NaN-filled buffers from 4 KB to 16 MB, so that memory the allocator hands
   * out next holds NaN: a kernel that reads what it never wrote then fails every time.
   */
  private static void poisonFreedMemory() {
    try (StepScope scope = StepScope.open()) {
      for (int log = 10; log <= 22; log++) {
        torch.full(new long[] {1L << log}, new Scalar(Float.NaN), new TensorOptions(torch.ScalarType.Float));
      }
    }
  }
}
