package org.medssl.bench;

/**
 * Measured training and inference speed of one configuration at one precision. Samples are
 * images (2D) or volumes (3D); peak RSS is this configuration's own (the peak is reset first).
 */
public record NetworkResult(String config, String precision, String batch, int threads, long parameters,
    Stats trainMs, double trainSamplesPerSecond, Stats inferMs, double inferSamplesPerSecond, double peakRssMb) {}
