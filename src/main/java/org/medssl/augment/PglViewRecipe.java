package org.medssl.augment;

import java.util.random.RandomGenerator;

/**
 * PGL's two views of one image (Xie et al. 2021, sec. 3.2), for volumes and, unchanged, for
 * slices: {@link OverlappingCrops two overlapping crops} resized to the network input, each axis
 * flipped with {@code flipProbability}, Gaussian noise (variance {@code U(0, noiseVarianceMax)}),
 * Gaussian blur (sigma {@code U(blurMin, blurMax)} voxels), brightness (multiply by
 * {@code U(brightnessMin, brightnessMax)}, clip to the range before) and gamma (on the min-max
 * rescaled intensities, mapped back), each with its probability and in that order.
 *
 * <p>Every view records its {@link ViewGeometry} (crop box, flips, output size): the prior that
 * PGL's aligner uses to find the region both views show. The intensity changes move no voxel, so
 * they are not part of it.
 */
public record PglViewRecipe(OverlappingCrops crops, double flipProbability, double pNoise, double noiseVarianceMax,
    double pBlur, double blurMin, double blurMax, double pBrightness, double brightnessMin, double brightnessMax,
    double pGamma, double gammaMin, double gammaMax) {

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

  /** Two views of {@code source}, each resized to {@code out} voxels (tensor order). */
  public View[] samplePair(DenseImage source, int[] out, RandomGenerator rng) {
    ViewGeometry[] g = sampleGeometries(source.shape(), out, rng);
    View[] views = new View[2];
    for (int v = 0; v < 2; v++) {
      views[v] = new View(sampleIntensity(rng).apply(render(source, g[v])), g[v]);
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

  /** The spatial part of a view: the crop resized to the output, then flipped. */
  public static DenseImage render(DenseImage source, ViewGeometry g) {
    return VoxelOps.flip(CropResize.apply(source, CropBox.of(g), g.outSize()), g.flips());
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
