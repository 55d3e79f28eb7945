package org.medssl.ssl;

import org.medssl.nn.Backbone;
import java.util.List;
import java.util.random.RandomGenerator;
import org.medssl.augment.Slice2d;
import org.medssl.augment.ViewRecipe;
import org.medssl.data.PretrainImages;
import org.medssl.nn.ConvHead;
import org.medssl.nn.Dims;
import org.medssl.nn.UNetBody;
import org.medssl.tensor.Autocast;
import org.medssl.tensor.Precision;
import org.medssl.tensor.Tensor;

/**
 * Umapathy et al.'s regression pretext (Noise2Void-like masked denoising): a stratified fraction
 * p of pixels (one per box of side round(sqrt(1/p)), at a random place in the box) is replaced by
 * Gaussian noise with the slice's standard deviation; the whole U-Net with a 1-channel head
 * predicts the original values, with L1 on the masked pixels only. Encoder and decoder transfer.
 */
public final class MaskedDenoising extends BasePretextMethod {
  /** @param maskFraction fraction of pixels masked (2 % by default) */
  public record Config(double maskFraction) {
    public Config {
      if (maskFraction <= 0 || maskFraction >= 1) {
        throw new IllegalArgumentException("mask fraction must be in (0, 1): " + maskFraction);
      }
    }
  }

  private final UNetBody body;
  private final ConvHead head;
  private final Config config;

  public MaskedDenoising(Backbone backbone, Config config, RandomGenerator rng) {
    super("denoise", List.of("encoder", "decoder"));
    this.config = config;
    this.body = new UNetBody(store, backbone, 1, rng);
    this.head = new ConvHead(store, "pretext.denoise", Dims.TWO, backbone.channels()[0], 0, 1, rng);
  }

  @Override
  public List<Stage> stages() {
    return List.of(new Stage("denoise", 1.0, store.parameters(), this::inputs, this::loss));
  }

  /** Inputs: [masked slices, masks (1 = masked), original slices]. */
  PretextBatch inputs(PretrainImages slices, int n, int[] size, RandomGenerator rng) {
    int h = size[0];
    int w = size[1];
    float[] masked = new float[n * h * w];
    float[] mask = new float[n * h * w];
    float[] target = new float[n * h * w];
    for (int i = 0; i < n; i++) {
      Slice2d s = ViewRecipe.mildSpatial().sample(slices.random(rng), h, w, rng).data();
      System.arraycopy(s.image(), 0, target, i * h * w, h * w);
      System.arraycopy(s.image(), 0, masked, i * h * w, h * w);
      double sigma = std(s.image());
      for (int p : stratifiedMask(h, w, config.maskFraction(), rng)) {
        masked[i * h * w + p] = (float) (rng.nextGaussian() * sigma);
        mask[i * h * w + p] = 1;
      }
    }
    return new PretextBatch(List.of(masked, mask, target), List.of(), n, h, w);
  }

  Stage.StepLoss loss(PretextBatch b, Precision precision) {
    Tensor x = Tensor.of(b.inputs().get(0), b.tensorShape());
    Tensor mask = Tensor.of(b.inputs().get(1), b.tensorShape());
    Tensor target = Tensor.of(b.inputs().get(2), b.tensorShape());
    Tensor out;
    try (Autocast a = Autocast.of(precision)) {
      out = head.forward(body.forward(x));
    }
    return Stage.StepLoss.of(maskedL1(out, target, mask));
  }

  /** Mean absolute error over the masked pixels only. */
  static Tensor maskedL1(Tensor prediction, Tensor target, Tensor mask) {
    return prediction.toFloat().sub(target).abs().mul(mask).sum().div(mask.sum().add(1e-8));
  }

  /** One pixel per box of side round(sqrt(1/p)), uniformly placed inside its box (boxes clipped at edges). */
  static int[] stratifiedMask(int h, int w, double fraction, RandomGenerator rng) {
    int side = Math.max(1, (int) Math.round(Math.sqrt(1 / fraction)));
    int rows = (h + side - 1) / side;
    int cols = (w + side - 1) / side;
    int[] out = new int[rows * cols];
    int k = 0;
    for (int by = 0; by < rows; by++) {
      for (int bx = 0; bx < cols; bx++) {
        int y = Math.min(h - 1, by * side + rng.nextInt(side));
        int x = Math.min(w - 1, bx * side + rng.nextInt(side));
        out[k++] = y * w + x;
      }
    }
    return out;
  }

  private static double std(float[] v) {
    double mean = 0;
    for (float x : v) {
      mean += x;
    }
    mean /= v.length;
    double ss = 0;
    for (float x : v) {
      ss += (x - mean) * (x - mean);
    }
    return Math.sqrt(ss / v.length);
  }
}
