package org.medssl.augment;

import java.util.random.RandomGenerator;

/**
 * How one view of a slice is drawn for self-supervised pretraining: a random resized crop
 * (area fraction in [cropMin, cropMax], aspect 3/4..4/3), a horizontal flip (and a vertical one if
 * {@code verticalFlips}) each with {@code flipProbability}, then, with probability
 * {@code remapProbability}, a random non-monotone {@link IntensityCurve}, then intensity changes
 * and blur. Every view records its {@link ViewGeometry} (axes {y, x}).
 */
public record ViewRecipe(double cropMin, double cropMax, double flipProbability, boolean verticalFlips, double pIntensity,
    double contrastRange, double brightnessRange, double gammaMin, double gammaMax, double pNoise, double noiseMax,
    double pBlur, double blurMin, double blurMax, double remapProbability) {

  /** A recipe without intensity remaps. */
  public ViewRecipe(double cropMin, double cropMax, double flipProbability, boolean verticalFlips, double pIntensity,
      double contrastRange, double brightnessRange, double gammaMin, double gammaMax, double pNoise, double noiseMax,
      double pBlur, double blurMin, double blurMax) {
    this(cropMin, cropMax, flipProbability, verticalFlips, pIntensity, contrastRange, brightnessRange, gammaMin,
        gammaMax, pNoise, noiseMax, pBlur, blurMin, blurMax, 0);
  }

  /**
   * A drawn view: the pixels, the same resampled crop before any intensity change (what a
   * restoration pretext regresses; the same array as {@code data}'s when no intensity change was
   * drawn, so neither may be written), and where they came from.
   */
  public record View(Slice2d data, Slice2d beforeIntensity, ViewGeometry geometry) {}

  /** BYOL-style views (Kalapos): resized crop of 20-100 % of the area, horizontal flip, brightness/contrast, blur. */
  public static ViewRecipe byol() {
    return new ViewRecipe(0.2, 1.0, 0.5, false, 0.8, 0.4, 0.4, 1, 1, 0.0, 0, 0.2, 0.5, 1.0);
  }

  /** Global contrastive views (Chaitanya): crop, flips, intensity, noise. */
  public static ViewRecipe globalContrastive() {
    return new ViewRecipe(0.3, 1.0, 0.5, true, 0.8, 0.4, 0.3, 0.7, 1.5, 0.3, 0.1, 0.2, 0.5, 1.0);
  }

  /** Intensity-only views: the geometry stays the identity so positions correspond across views. */
  public static ViewRecipe intensityOnly() {
    return new ViewRecipe(1.0, 1.0, 0.0, false, 0.8, 0.4, 0.3, 0.7, 1.5, 0.3, 0.1, 0.2, 0.5, 1.0);
  }

  /**
   * Local contrastive views with geometry: {@link #intensityOnly()}'s intensity changes on crops of
   * 50-100 % of the area, unflipped; positions are matched through the recorded geometries.
   */
  public static ViewRecipe localCrops() {
    return new ViewRecipe(0.5, 1.0, 0.0, false, 0.8, 0.4, 0.3, 0.7, 1.5, 0.3, 0.1, 0.2, 0.5, 1.0);
  }

  /** Mild spatial jitter only (crop 80-100 %, flips), for the denoising pretext. */
  public static ViewRecipe mildSpatial() {
    return new ViewRecipe(0.8, 1.0, 0.5, true, 0.0, 0, 0, 1, 1, 0.0, 0, 0.0, 0, 0);
  }

  /**
   * The same recipe with flips kept ({@code true}) or switched off. Switched off, the flip draws
   * still happen, so the other draws stay where they were.
   */
  public ViewRecipe withFlips(boolean flips) {
    return flips ? this : new ViewRecipe(cropMin, cropMax, 0, verticalFlips, pIntensity, contrastRange,
        brightnessRange, gammaMin, gammaMax, pNoise, noiseMax, pBlur, blurMin, blurMax, remapProbability);
  }

  /** The same recipe with intensity remaps drawn with probability {@code p} (0: none, and no draw). */
  public ViewRecipe withRemap(double p) {
    return new ViewRecipe(cropMin, cropMax, flipProbability, verticalFlips, pIntensity, contrastRange,
        brightnessRange, gammaMin, gammaMax, pNoise, noiseMax, pBlur, blurMin, blurMax, p);
  }

  public View sample(Slice2d in, int outH, int outW, RandomGenerator rng) {
    ViewGeometry g = sampleGeometry(in.h(), in.w(), outH, outW, rng);
    Slice2d resampled = Resample.apply(in, g.map(), outH, outW);
    DenseImage out = IntensityCurve.sample(remapProbability, rng).apply(DenseImage.of(resampled));
    out = sampleIntensity(rng).apply(out);
    if (rng.nextDouble() < pBlur) {
      out = VoxelOps.blur(out, blurMin + (blurMax - blurMin) * rng.nextDouble());
    }
    return new View(resampled.withImage(out), resampled, g);
  }

  ViewGeometry sampleGeometry(int h, int w, int outH, int outW, RandomGenerator rng) {
    double area = (cropMin + (cropMax - cropMin) * rng.nextDouble()) * h * w;
    double aspect = cropMin >= 1.0 ? (double) w / h : Math.exp(Math.log(0.75) + Math.log(4.0 / 3 / 0.75) * rng.nextDouble());
    double cw = Math.min(w, Math.sqrt(area * aspect));
    double ch = Math.min(h, Math.sqrt(area / aspect));
    double x0 = (w - cw) * rng.nextDouble();
    double y0 = (h - ch) * rng.nextDouble();
    boolean fx = rng.nextDouble() < flipProbability;
    boolean fy = verticalFlips && rng.nextDouble() < flipProbability;
    return new ViewGeometry(new double[] {y0, x0}, new double[] {ch, cw}, new boolean[] {fy, fx}, new int[] {outH, outW});
  }

  IntensityParams sampleIntensity(RandomGenerator rng) {
    if (rng.nextDouble() >= pIntensity && rng.nextDouble() >= pNoise) {
      return IntensityParams.IDENTITY;
    }
    double contrast = 1 + contrastRange * (2 * rng.nextDouble() - 1);
    double brightness = brightnessRange * (2 * rng.nextDouble() - 1);
    double gamma = gammaMin + (gammaMax - gammaMin) * rng.nextDouble();
    double noise = rng.nextDouble() < pNoise ? noiseMax * rng.nextDouble() : 0;
    return new IntensityParams(contrast, brightness, gamma, noise, rng.nextLong());
  }
}
