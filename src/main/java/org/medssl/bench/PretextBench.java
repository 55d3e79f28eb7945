package org.medssl.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.medssl.augment.ViewGeometry;
import org.medssl.data.PatchSize;
import org.medssl.data.Preprocessing;
import org.medssl.data.PretrainImages;
import org.medssl.data.phantom.PhantomConfig;
import org.medssl.data.phantom.PhantomGenerator;
import org.medssl.image.Volume;
import org.medssl.nn.Backbone;
import org.medssl.nn.Dims;
import org.medssl.nn.EncoderKind;
import org.medssl.nn.NormKind;
import org.medssl.ssl.Pgl;
import org.medssl.ssl.PretextBatch;
import org.medssl.ssl.PretextMethod;
import org.medssl.ssl.MethodOptions;
import org.medssl.ssl.PretextMethods;
import org.medssl.train.StepEvent;
import org.medssl.train.TrainingListener;
import org.medssl.train.TrainingStep;
import org.medssl.ssl.PretrainConfig;
import org.medssl.ssl.Pretrainer;
import org.medssl.ssl.Stage;
import org.medssl.tensor.Engine;
import org.medssl.tensor.NoGrad;
import org.medssl.tensor.Optimizer;
import org.medssl.tensor.Precision;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;
import org.medssl.train.MixedPrecision;

/**
 * Step time of PGL's 3D pretraining as {@code studies/phantom-3d.yaml} runs it (3D U-Net encoder
 * 8-16-32-64, batch 4 of 16x48x48 patches, two views, online and EMA target paths), measured two
 * ways. {@link #fixedBatch} times the step alone on one fixed batch of views, the pair of
 * {@code bench/peer_pytorch.py}'s pgl3d. {@link #run} times it through the production loop:
 * {@link Pretrainer} with its background loader, on in-memory phantoms, where the time of a step
 * is the interval between the loop's step callbacks, so it includes waiting for the loader when
 * views are not ready.
 */
final class PretextBench {
  static final String NAME = "pgl3d";
  static final int[] CHANNELS = {8, 16, 32, 64};
  static final PatchSize PATCH = new PatchSize(16, 48, 48);
  static final int BATCH = 4;
  private static final int VOLUMES = 4;

  /** One measured configuration: step times and views (two per sample) per second. */
  record Result(String config, String precision, String batch, long parameters, Stats stepMs, double viewsPerSecond) {}

  private PretextBench() {}

  static Result run(Precision precision, int warmup, int steps) {
    Backbone backbone = new Backbone(Dims.THREE, EncoderKind.UNET, CHANNELS, NormKind.INSTANCE);
    PretrainConfig config = PretrainConfig.defaults(precision, 7).withSteps(warmup + steps).withBatch(BATCH)
        .withPatch(PATCH);
    List<Double> times = new ArrayList<>();
    try (PretextMethod pgl = PretextMethods.create("pgl", backbone, MethodOptions.defaults(),
        new SplittableRandom(7))) {
      long[] last = {System.nanoTime()};
      new Pretrainer(config).run(pgl, phantoms(), PATCH.toArray(),
          new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
              long now = System.nanoTime();
              if (e.step() > warmup) {
                times.add((now - last[0]) / 1e6);
              }
              last[0] = now;
            }
          });
      Stats stats = Stats.of(times);
      return new Result(NAME, precision.label(), BATCH + "x2x1x" + PATCH.depth() + "x" + PATCH.height() + "x" + PATCH.width(),
          pgl.weights().parameterCount(), stats, stats.perSecond(2 * BATCH));
    }
  }

  /**
   * PGL's training step ({@link TrainingStep}: both views through the online path, the EMA target
   * without gradients, FlipAlign and CSAlign, the symmetrised local loss, AdamW, EMA update) on one
   * fixed batch of random views with the geometries of {@link #fixedViews}, and the online path's
   * no-grad forward of one view batch as its inference. {@code bench/peer_pytorch.py} builds the
   * same batch and step; this is the pair that {@code bench/compare.sh} times.
   */
  static NetworkResult fixedBatch(Precision precision, int warmup, int steps) {
    double startRss = Rss.currentMb();
    Rss.resetPeak();
    try (Pgl pgl = newPgl()) {
      Stage stage = pgl.stages().get(0);
      PretextBatch batch = fixedViews(new SplittableRandom(1));
      try (Optimizer opt = newOptimizer(stage)) {
        TrainingStep<PretextBatch> step = new TrainingStep<>(stage.loss(), opt, precision, pgl::afterStep);
        int total = warmup + steps;
        int[] done = {0};
        Stats train = Stats.of(Timing.millis(warmup, steps,
            () -> step.train(batch, ++done[0], total, TrainingStep.ANY_LOSS)));
        Stats infer = Stats.of(Timing.millis(Math.min(warmup, 2), steps, () -> embed(pgl, batch, precision)));
        String shape = BATCH + "x2x1x" + PATCH.depth() + "x" + PATCH.height() + "x" + PATCH.width();
        return new NetworkResult(NAME, precision.label(), shape, Engine.threads(), pgl.weights().parameterCount(),
            train, train.perSecond(2 * BATCH), infer, infer.perSecond(BATCH), startRss, Rss.peakMb());
      }
    }
  }

  /** PGL with its default configuration on the bench's encoder, as the phantom-3d study pretrains it. */
  static Pgl newPgl() {
    Backbone backbone = new Backbone(Dims.THREE, EncoderKind.UNET, CHANNELS, NormKind.INSTANCE);
    return (Pgl) PretextMethods.create("pgl", backbone, MethodOptions.defaults(), new SplittableRandom(7));
  }

  /** The optimiser the pretraining loop gives a stage under {@link PretrainConfig#defaults} (AdamW). */
  static Optimizer newOptimizer(Stage stage) {
    return PretrainConfig.defaults(Precision.FP32, 7).optimizer(stage.trainable());
  }

  private static void embed(Pgl pgl, PretextBatch batch, Precision precision) {
    try (StepScope s = StepScope.open(); NoGrad g = NoGrad.open()) {
      new MixedPrecision(precision).forward(() -> pgl.localEmbeddings(Tensor.of(batch.inputs().get(0),
          batch.tensorShape())));
    }
  }

  /**
   * {@link #BATCH} pairs of standard-normal views of the patch size, with geometries by a rule the
   * PyTorch peer repeats: view v of sample i crops a box of {@code s} times the patch per axis,
   * {@code s = 1.1 + 0.1 i} for the first view and {@code 1.4 - 0.1 i} for the second (PGL's
   * range), starting at {@code 2i + a} resp. {@code 3 + i + 2a} on axis a, and is flipped on axis a
   * when {@code i + v + a} is odd, so both overlap, flips and crop sizes vary across the batch.
   */
  static PretextBatch fixedViews(SplittableRandom rng) {
    int[] size = PATCH.toArray();
    int voxels = BATCH * size[0] * size[1] * size[2];
    List<float[]> inputs = new ArrayList<>();
    for (int v = 0; v < 2; v++) {
      float[] values = new float[voxels];
      for (int k = 0; k < voxels; k++) {
        values[k] = (float) rng.nextGaussian();
      }
      inputs.add(values);
    }
    List<ViewGeometry> geometries = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      for (int v = 0; v < 2; v++) {
        double scale = v == 0 ? 1.1 + 0.1 * i : 1.4 - 0.1 * i;
        double[] origin = new double[3];
        double[] extent = new double[3];
        boolean[] flips = new boolean[3];
        for (int a = 0; a < 3; a++) {
          origin[a] = v == 0 ? 2 * i + a : 3 + i + 2 * a;
          extent[a] = scale * size[a];
          flips[a] = (i + v + a) % 2 == 1;
        }
        geometries.add(new ViewGeometry(origin, extent, flips, size));
      }
    }
    return new PretextBatch(inputs, geometries, BATCH, size);
  }

  private static PretrainImages phantoms() {
    Preprocessing pre = Preprocessing.mrDefault();
    PhantomGenerator generator = new PhantomGenerator(PhantomConfig.defaults());
    List<Volume> volumes = new ArrayList<>();
    for (int i = 0; i < VOLUMES; i++) {
      volumes.add(pre.apply(generator.generate(11 + i).image()));
    }
    return new PretrainImages(volumes, pre.sliceAxis());
  }
}
