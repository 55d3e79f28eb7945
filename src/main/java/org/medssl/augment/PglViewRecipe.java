package org.medssl.augment;

import java.util.random.RandomGenerator;

/**
 * PGL's two views of one image (Xie et al. 2021, sec. 3.2), for volumes and, unchanged, for
 * slices: {@link OverlappingCrops two overlapping crops} resized to the network input, each axis
 * flipped with {@code flipProbability}, Gaussian noise (variance {@code U(0, noiseVarianceMax)}),
 * Gaussian blur (sigma {@code U(blurMin, blurMax)} voxels), brightness (multiply by
 * {@code U(brightnessMin, brightnessMax)}, clip to the range before) and gamma (on the min-max
 * rescaled intensities, mapped back), each with its probability and in that order. Not in the
 * paper: before them, with probability {@code remapProbability}, a random non-monotone
 * {@link IntensityCurve} (0 in {@link #paper()}).
 *
 * <p>Every view records its {@link ViewGeometry} (crop box, flips, output size): the prior that
 * PGL's aligner uses to find the region both views show. The intensity changes move no voxel, so
 * they are not part of it.
 */
public record PglViewRecipe(OverlappingCrops crops, double flipProbability, double pNoise, double noiseVarianceMax,
    double pBlur, double blurMin, double blurMax, double pBrightness, double brightnessMin, double brightnessMax,
    double pGamma, double gammaMin, double gammaMax, double remapProbability) {

  /** A recipe without intensity remaps. */
  public PglViewRecipe(OverlappingCrops crops, double flipProbability, double pNoise, double noiseVarianceMax,
      double pBlur, double blurMin, double blurMax, double pBrightness, double brightnessMin, double brightnessMax,
      double pGamma, double gammaMin, double gammaMax) {
    this(crops, flipProbability, pNoise, noiseVarianceMax, pBlur, blurMin, blurMax, pBrightness, brightnessMin,
        brightnessMax, pGamma, gammaMin, gammaMax, 0);
  }

  /**
   * Crops for slices, where the network input is the whole slice: each side 60-90 % of the slice's
   * (at least 10 % overlap), so the two views show different regions and CSAlign has work to do.
   * The paper's 110-140 % of the input is clamped to the slice, making both crops the whole slice.
   */
  public static final OverlappingCrops SUB_SLICE_CROPS = new OverlappingCrops(0.6, 0.9, 0.1);

  /** A drawn view: its voxels (in the output's tensor order) and where they came from. */
  public record View(DenseImage image, ViewGeometry geometry) {}

  /** The paper's settings. */
  public static PglViewRecipe paper() {
    return new PglViewRecipe(new OverlappingCrops(1.1, 1.4, 0.1), 0.5, 0.1, 0.1, 0.2, 0.5, 1.0, 0.5, 0.75, 1.25,
        0.5, 0.7, 1.5);
  }

  /** Crops and flips only: voxel values are then exact functions of where they came from (tests). */
  public static PglViewRecipe spatialOnly(OverlappingCrops crops) {
    return new PglViewRecipe(crops, 0.5, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1);
  }

  /** The same recipe with flips on every axis kept ({@code true}) or off (the draws still happen). */
  public PglViewRecipe withFlips(boolean flips) {
    return flips ? this : new PglViewRecipe(crops, 0, pNoise, noiseVarianceMax, pBlur, blurMin, blurMax, pBrightness,
        brightnessMin, brightnessMax, pGamma, gammaMin, gammaMax, remapProbability);
  }

  /** The same recipe with intensity remaps drawn with probability {@code p} (0: none, and no draw). */
  public PglViewRecipe withRemap(double p) {
    return new PglViewRecipe(crops, flipProbability, pNoise, noiseVarianceMax, pBlur, blurMin, blurMax, pBrightness,
        brightnessMin, brightnessMax, pGamma, gammaMin, gammaMax, p);
  }

  public PglViewRecipe withCrops(OverlappingCrops c) {
    return new PglViewRecipe(c, flipProbability, pNoise, noiseVarianceMax, pBlur, blurMin, blurMax, pBrightness,
        brightnessMin, brightnessMax, pGamma, gammaMin, gammaMax, remapProbability);
  }

  /** Two views of {@code source}, each resized to {@code out} voxels (tensor order). */
  public View[] samplePair(DenseImage source, int[] out, RandomGenerator rng) {
    ViewGeometry[] g = sampleGeometries(source.shape(), out, rng);
    View[] views = new View[2];
    for (int v = 0; v < 2; v++) {
      VoxelIntensity intensity = sampleIntensity(rng);
      IntensityCurve curve = IntensityCurve.sample(remapProbability, rng);
      views[v] = new View(intensity.apply(curve.apply(g[v].render(source))), g[v]);
    }
    return views;
  }

  /** The spatial draws of a pair: two overlapping crops and each view's flips. */
  public ViewGeometry[] sampleGeometries(int[] image, int[] out, RandomGenerator rng) {
    CropBox[] boxes = crops.sample(image, out, rng);
    ViewGeometry[] g = new ViewGeometry[2];
    for (int v = 0; v < 2; v++) {
      boolean[] flips = new boolean[image.length];
      for (int a = 0; a < flips.length; a++) {
        flips[a] = rng.nextDouble() < flipProbability;
      }
      g[v] = boxes[v].toGeometry(flips, out);
    }
    return g;
  }

  VoxelIntensity sampleIntensity(RandomGenerator rng) {
    double noiseStd = 0;
    long noiseSeed = 0;
    if (rng.nextDouble() < pNoise) {
      noiseStd = Math.sqrt(noiseVarianceMax * rng.nextDouble());
      noiseSeed = rng.nextLong();
    }
    double sigma = rng.nextDouble() < pBlur ? uniform(blurMin, blurMax, rng) : 0;
    double brightness = rng.nextDouble() < pBrightness ? uniform(brightnessMin, brightnessMax, rng) : 1;
    double gamma = rng.nextDouble() < pGamma ? uniform(gammaMin, gammaMax, rng) : 1;
    return new VoxelIntensity(noiseStd, noiseSeed, sigma, brightness, gamma);
  }

  private static double uniform(double lo, double hi, RandomGenerator rng) {
    return lo + (hi - lo) * rng.nextDouble();
  }
}
