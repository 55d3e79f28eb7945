package org.medssl.augment;

/**
 * Intensity changes applied after resampling, in this order: contrast around the mean, brightness
 * offset, gamma on the min-max-normalised range, additive Gaussian noise of std {@code noiseStd}
 * drawn from {@code noiseSeed}.
 */
public record IntensityParams(double contrast, double brightness, double gamma, double noiseStd, long noiseSeed) {
  public static final IntensityParams IDENTITY = new IntensityParams(1, 0, 1, 0, 0);

  public DenseImage apply(DenseImage in) {
    if (equals(IDENTITY)) {
      return in;
    }
    DenseImage out = VoxelOps.contrast(in, contrast, brightness);
    if (gamma != 1) {
      out = VoxelOps.gamma(out, gamma);
    }
    return VoxelOps.addNoise(out, noiseStd, noiseSeed);
  }

  public Slice2d apply(Slice2d in) {
    return in.withImage(apply(DenseImage.of(in)));
  }
}
