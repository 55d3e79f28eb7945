package org.medssl.augment;

/**
 * The intensity draws of one PGL view, applied in the paper's order (Xie et al., sec. 3.2):
 * Gaussian noise, Gaussian blur, brightness (multiply, then clip to the range before), gamma.
 * A value that means "not applied" (std 0, sigma 0, factor 1, gamma 1) skips the operation.
 */
public record VoxelIntensity(double noiseStd, long noiseSeed, double blurSigma, double brightness, double gamma) {
  public static final VoxelIntensity IDENTITY = new VoxelIntensity(0, 0, 0, 1, 1);

  public DenseImage apply(DenseImage in) {
    DenseImage out = VoxelOps.addNoise(in, noiseStd, noiseSeed);
    out = VoxelOps.blur(out, blurSigma);
    if (brightness != 1) {
      out = VoxelOps.scaleClipped(out, brightness);
    }
    return gamma == 1 ? out : VoxelOps.gamma(out, gamma);
  }
}
