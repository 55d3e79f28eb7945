package org.medssl.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
import org.medssl.ssl.PretextMethod;
import org.medssl.ssl.PretextMethods;
import org.medssl.ssl.PretrainConfig;
import org.medssl.ssl.Pretrainer;
import org.medssl.tensor.Precision;

/**
 * Step time of PGL's 3D pretraining as {@code studies/phantom-3d.yaml} runs it (3D U-Net encoder
 * 8-16-32-64, batch 4 of 16x48x48 patches, two views, online and EMA target paths), through the
 * production loop: {@link Pretrainer} with its background loader, on in-memory phantoms. The time
 * of a step is the interval between the loop's step callbacks, so it includes waiting for the
 * loader when views are not ready.
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
    try (PretextMethod pgl = PretextMethods.create("pgl", backbone, PretextMethods.Options.defaults(),
        new SplittableRandom(7))) {
      long[] last = {System.nanoTime()};
      new Pretrainer(config).run(pgl, phantoms(), PATCH.toArray(),
          new Pretrainer.Listener() {
            @Override
            public void onStep(String stage, int step, int total, double loss) {
              long now = System.nanoTime();
              if (step > warmup) {
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
