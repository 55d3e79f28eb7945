package org.medssl.augment;

/**
 * Intensity changes applied after resampling, in this order: contrast around the mean, brightness
 * offset, gamma on the min-max-normalised range, additive Gaussian noise of std {@code noiseStd}
 * drawn from {@code noiseSeed}.
 */
public record IntensityParams(double contrast, double brightness, double gamma, double noiseStd, long noiseSeed) {
  public static final IntensityParams IDENTITY = new IntensityParams(1, 0, 1, 0, 0);
}
