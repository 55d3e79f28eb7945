package org.medssl.seg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;
import org.medssl.data.PatchSize;
import org.medssl.data.Padding;
import org.medssl.image.Grid;
import org.medssl.image.LabelMap;
import org.medssl.image.MultiChannelVolume;
import org.medssl.image.Volume;
import org.medssl.nn.Dims;
import org.medssl.nn.SegNet;
import org.medssl.tensor.NoGrad;
import org.medssl.tensor.Precision;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;
import org.medssl.train.MixedPrecision;

/**
 * Segments a whole volume with a 3D network trained on patches, window by window, the way users
 * of nnU-Net and MONAI expect: windows of the training patch size overlap by a fraction of it
 * (evenly spread, the first at the start and the last at the end of every axis, so each voxel is
 * covered); each window's softmax probabilities are weighted by a Gaussian importance map (peak 1
 * at the centre, sigma 1/8 of the patch per axis), because a network sees least context near a
 * window's border; the weighted sums are divided by the summed weights, and the arg-max is the
 * label. A volume smaller than the patch along an axis is padded (centred, with its minimum) and
 * the result cropped back, so the labels are on the volume's own grid.
 *
 * <p>Windows go through the network in batches; probabilities are accumulated in native memory
 * (classes x voxels can exceed a Java array), and each batch runs in its own {@link StepScope}.
 */
public final class SlidingWindowInferer implements Inferer {
  /** Window voxels per forward pass: two 32x64x64 windows, about what a 3D training batch holds. */
  private static final int VOXELS_PER_BATCH = 1 << 18;
  private static final int MAX_BATCH = 8;
  private static final double SIGMA_FRACTION = 1.0 / 8;

  private final SlidingWindow window;
  private final int batch;
  private final Precision precision;

  public SlidingWindowInferer(SlidingWindow window, int batch, Precision precision) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be positive");
    }
    this.window = window;
    this.batch = batch;
    this.precision = precision;
  }

  /** With as many windows per forward pass as fit a 3D training batch's memory. */
  public static SlidingWindowInferer of(SlidingWindow window, Precision precision) {
    int fit = VOXELS_PER_BATCH / window.patch().voxels();
    return new SlidingWindowInferer(window, Math.max(1, Math.min(MAX_BATCH, fit)), precision);
  }

  public SlidingWindow window() {
    return window;
  }

  @Override
  public LabelMap predict(SegNet net, MultiChannelVolume image, IntConsumer progress) {
    return run(net, image, progress, probs -> new LabelMap(image.grid(), toInts(probs.argmax(0).toLongs())));
  }

  /** Softmax probabilities per class on the volume's grid (for ensembling or soft outputs). */
  public Probabilities probabilities(SegNet net, Volume image, IntConsumer progress) {
    return run(net, MultiChannelVolume.of(image), progress,
        probs -> Probabilities.of(image.grid(), net.config().classes(), probs));
  }

  @Override
  public Work work(Grid grid) {
    return new Work(windows(Padding.atLeast(sizeOf(grid), window.patch().toArray()), window.patch(), window.overlap())
        .size(), "windows");
  }

  /**
   * Class probabilities {@code (classes, z, y, x)}, flat with x fastest, as one array (so only
   * for volumes where classes x voxels fits one).
   */
  public record Probabilities(Grid grid, int classes, float[] values) {
    public Probabilities {
      if ((long) classes * grid.size() != values.length) {
        throw new IllegalArgumentException(classes + " classes on " + grid.shapeString() + " need "
            + (long) classes * grid.size() + " values, got " + values.length);
      }
    }

    static Probabilities of(Grid grid, int classes, Tensor probs) {
      if ((long) classes * grid.size() > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(classes + " classes on " + grid.shapeString() + " do not fit one array");
      }
      return new Probabilities(grid, classes, probs.toFloats());
    }

    /** The probability of {@code label} at the voxel with flat index {@code voxel}. */
    public float get(int label, int voxel) {
      return values[label * grid.size() + voxel];
    }
  }

  private <T> T run(SegNet net, MultiChannelVolume image, IntConsumer progress, Function<Tensor, T> finish) {
    requireFits(net);
    Inferer.requireChannels(net, image);
    net.train(false);
    return infer(net::forward, net.config().classes(), image, progress, finish);
  }

  /** Probabilities of any network mapping {@code (N, 1, d, h, w)} to logits {@code (N, classes, d, h, w)}. */
  Probabilities probabilities(UnaryOperator<Tensor> forward, int classes, Volume image) {
    return infer(forward, classes, MultiChannelVolume.of(image), done -> { },
        probs -> Probabilities.of(image.grid(), classes, probs));
  }

  private <T> T infer(UnaryOperator<Tensor> forward, int classes, MultiChannelVolume image, IntConsumer progress,
      Function<Tensor, T> finish) {
    int[] size = sizeOf(image.grid());
    int[] p = window.patch().toArray();
    int[] padded = Padding.atLeast(size, p);
    List<int[]> origins = windows(padded, window.patch(), window.overlap());
    try (StepScope whole = StepScope.open(); NoGrad g = NoGrad.open()) {
      Tensor input = Tensor.of(paddedChannels(image, size, padded), 1, image.count(), padded[0], padded[1], padded[2]);
      Tensor importance = Tensor.of(gaussian(window.patch()), 1, p[0], p[1], p[2]);
      Tensor weighted = Tensor.zeros(classes, padded[0], padded[1], padded[2]);
      Tensor weights = Tensor.zeros(1, padded[0], padded[1], padded[2]);
      for (int first = 0; first < origins.size(); first += batch) {
        List<int[]> group = origins.subList(first, Math.min(origins.size(), first + batch));
        try (StepScope step = StepScope.open()) {
          accumulate(forward, classes, input, group, importance, weighted, weights);
        }
        progress.accept(first + group.size());
      }
      Tensor probs = box(weighted.div(weights), 1, Padding.offsets(size, padded), size);
      return finish.apply(probs);
    }
  }

  /** The channels one after another, each padded (centred, with its minimum) to at least the patch. */
  private static float[] paddedChannels(MultiChannelVolume image, int[] size, int[] padded) {
    boolean pad = !Arrays.equals(size, padded);
    if (image.count() == 1 && !pad) {
      return image.channel(0).voxels();
    }
    int voxels = padded[0] * padded[1] * padded[2];
    float[] out = new float[image.count() * voxels];
    for (int c = 0; c < image.count(); c++) {
      float[] v = image.channel(c).voxels();
      System.arraycopy(pad ? Padding.centred(v, size, padded, Padding.minimum(v)) : v, 0, out, c * voxels, voxels);
    }
    return out;
  }

  /** Runs one batch of windows and adds their weighted probabilities and the weights into the sums. */
  private void accumulate(UnaryOperator<Tensor> forward, int classes, Tensor input, List<int[]> origins,
      Tensor importance, Tensor weighted, Tensor weights) {
    int[] p = window.patch().toArray();
    List<Tensor> crops = new ArrayList<>();
    for (int[] origin : origins) {
      crops.add(box(input, 2, origin, p));
    }
    Tensor logits = new MixedPrecision(precision).forward(() -> forward.apply(Tensor.cat(crops, 0)));
    Tensor probs = logits.softmax(1).mul(importance); // fp32 whatever the forward pass ran in
    for (int b = 0; b < origins.size(); b++) {
      box(weighted, 1, origins.get(b), p).addInPlace(probs.narrow(0, b, 1).reshape(classes, p[0], p[1], p[2]), 1);
      box(weights, 1, origins.get(b), p).addInPlace(importance, 1);
    }
  }

  /** The view of {@code t} at {@code origin} of {@code size} along dimensions {@code first..first+2}. */
  private static Tensor box(Tensor t, int first, int[] origin, int[] size) {
    return t.narrow(first, origin[0], size[0]).narrow(first + 1, origin[1], size[1]).narrow(first + 2, origin[2], size[2]);
  }

  private void requireFits(SegNet net) {
    if (net.config().dims() != Dims.THREE) {
      throw new IllegalArgumentException("sliding-window inference needs a 3D network");
    }
    if (!window.patch().divisibleBy(net.downsamplingFactor())) {
      throw new IllegalArgumentException("patch " + window.patch() + " is not divisible by the network's downsampling"
          + " factor " + net.downsamplingFactor());
    }
  }

  /**
   * Window origins {z, y, x} over a volume of {@code size} (at least the patch along every axis),
   * z slowest, x fastest.
   */
  public static List<int[]> windows(int[] size, PatchSize patch, double overlap) {
    int[] p = patch.toArray();
    int[][] starts = new int[3][];
    for (int a = 0; a < 3; a++) {
      starts[a] = windowStarts(size[a], p[a], overlap);
    }
    List<int[]> out = new ArrayList<>();
    for (int z : starts[0]) {
      for (int y : starts[1]) {
        for (int x : starts[2]) {
          out.add(new int[] {z, y, x});
        }
      }
    }
    return out;
  }

  /**
   * Window starts along one axis: as few windows as keep the step at most {@code patch x (1 -
   * overlap)} (and at least one voxel), spread evenly from 0 to {@code size - patch}, so the last
   * voxel is always covered even when the size is not a multiple of the step.
   */
  public static int[] windowStarts(int size, int patch, double overlap) {
    if (size <= patch) {
      return new int[] {0};
    }
    double maxStep = Math.max(1, patch * (1 - overlap));
    int count = (int) Math.ceil((size - patch) / maxStep) + 1;
    int[] starts = new int[count];
    for (int i = 0; i < count; i++) {
      starts[i] = (int) Math.round((double) (size - patch) * i / (count - 1));
    }
    return starts;
  }

  /**
   * The importance map {@code (d, h, w)}: a product of 1D Gaussians centred on the patch centre,
   * sigma 1/8 of the side per axis, scaled to a peak of 1. Its smallest value (a corner) is
   * e^-24 of the peak, still positive, so every covered voxel has a weight.
   */
  public static float[] gaussian(PatchSize patch) {
    double[] z = gaussian1d(patch.depth());
    double[] y = gaussian1d(patch.height());
    double[] x = gaussian1d(patch.width());
    float[] out = new float[patch.voxels()];
    int i = 0;
    for (double vz : z) {
      for (double vy : y) {
        for (double vx : x) {
          out[i++] = (float) (vz * vy * vx);
        }
      }
    }
    return out;
  }

  private static double[] gaussian1d(int side) {
    double centre = (side - 1) / 2.0;
    double sigma = side * SIGMA_FRACTION;
    double[] g = new double[side];
    double peak = 0;
    for (int i = 0; i < side; i++) {
      g[i] = Math.exp(-(i - centre) * (i - centre) / (2 * sigma * sigma));
      peak = Math.max(peak, g[i]);
    }
    for (int i = 0; i < side; i++) {
      g[i] /= peak;
    }
    return g;
  }

  private static int[] sizeOf(Grid g) {
    return new int[] {g.nz(), g.ny(), g.nx()};
  }

  private static int[] toInts(long[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (int) values[i];
    }
    return out;
  }
}
