package org.medssl.bench;

/**
 * Measured training and inference speed of one configuration at one precision. Samples are
 * images (2D) or volumes (3D). The peak RSS is reset before the configuration starts, but memory
 * the allocator kept from earlier configurations counts in it: {@code startRssMb} is what the
 * process held when this one started (run one configuration per process for a clean figure).
 */
public record NetworkResult(String config, String precision, String batch, int threads, long parameters,
    Stats trainMs, double trainSamplesPerSecond, Stats inferMs, double inferSamplesPerSecond, double startRssMb,
    double peakRssMb) {}
