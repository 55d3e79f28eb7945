package org.medssl.augment;

import java.util.random.RandomGenerator;

/**
 * Fine-tuning augmentation of 3D patches, built from the same N-D pieces as the pretext views:
 * a random zoom ({@link Resample} of a box around the patch's centre: trilinear for the image,
 * nearest for the labels, so both stay aligned), then PGL's intensity chain ({@link VoxelIntensity}:
 * noise, blur, brightness, gamma), each intensity operation with its own probability.
 *
 * <p>Probabilities and ranges are nnU-Net's defaults (zoom 0.7–1.4 with p 0.2, blur σ 0.5–1 voxel
 * p 0.2, multiplicative brightness 0.75–1.25 p 0.15, gamma 0.7–1.5 p 0.3), noise as the 2D
 * {@link SliceAugmenter} (σ up to 0.1, here with nnU-Net's p 0.1). A first version drew a zoom
 * for every patch and each intensity change with p 0.5; on the phantoms it cost Dice at 6 labeled
 * subjects (see the README). No flips (see {@code seg.FineTuner}) and no rotation: 3D scans are
 * often anisotropic, and a rotation out of the axial plane would mix thick slices into the plane.
 */
public final class PatchAugmenter {

  /** Ranges of the random draws; {@code p*} are the probabilities of each intensity operation. */
  public record Ranges(double zoomMin, double zoomMax, double pZoom, double noiseMax, double pNoise, double blurMin,
      double blurMax, double pBlur, double brightnessMin, double brightnessMax, double pBrightness, double gammaMin,
      double gammaMax, double pGamma) {

    public Ranges {
      if (!(zoomMin > 0 && zoomMin <= zoomMax)) {
        throw new IllegalArgumentException("zoom range " + zoomMin + ".." + zoomMax);
      }
    }

    /** nnU-Net's probabilities and zoom range; noise as our 2D augmenter (see the class comment). */
    public static Ranges defaults() {
      return new Ranges(0.7, 1.4, 0.2, 0.1, 0.1, 0.5, 1.0, 0.2, 0.75, 1.25, 0.15, 0.7, 1.5, 0.3);
    }
  }

  /** An augmented patch: the image in tensor order and its labels on the same voxels. */
  public record Patch(DenseImage image, int[] labels) {}

  private final Ranges ranges;

  public PatchAugmenter(Ranges ranges) {
    this.ranges = ranges;
  }

  /**
   * The source box a patch of {@code patch} voxels centred on {@code centre} (voxel-edge
   * coordinates) is resampled from: a zoom z shows {@code patch / z} source voxels per axis.
   */
  public CropBox sampleBox(double[] centre, int[] patch, RandomGenerator rng) {
    double zoom = rng.nextDouble() < ranges.pZoom() ? uniform(rng, ranges.zoomMin(), ranges.zoomMax()) : 1;
    double[] origin = new double[patch.length];
    double[] size = new double[patch.length];
    for (int a = 0; a < patch.length; a++) {
      size[a] = patch[a] / zoom;
      origin[a] = centre[a] - size[a] / 2;
    }
    return new CropBox(origin, size);
  }

  public VoxelIntensity sampleIntensity(RandomGenerator rng) {
    double noise = rng.nextDouble() < ranges.pNoise() ? uniform(rng, 0, ranges.noiseMax()) : 0;
    long seed = rng.nextLong();
    double blur = rng.nextDouble() < ranges.pBlur() ? uniform(rng, ranges.blurMin(), ranges.blurMax()) : 0;
    double brightness = rng.nextDouble() < ranges.pBrightness()
        ? uniform(rng, ranges.brightnessMin(), ranges.brightnessMax()) : 1;
    double gamma = rng.nextDouble() < ranges.pGamma() ? uniform(rng, ranges.gammaMin(), ranges.gammaMax()) : 1;
    return new VoxelIntensity(noise, seed, blur, brightness, gamma);
  }

  /**
   * The patch of {@code out} voxels taken from {@code box} of the source (points outside it read
   * {@code fill} and label 0), then the intensity draws applied. {@code labels} may be null (a
   * further channel of a scan whose labels go with its first), and so are the patch's then.
   */
  public static Patch apply(DenseImage image, int[] labels, CropBox box, int[] out, float fill,
      VoxelIntensity intensity) {
    SourceMap zoom = box.toGeometry(new boolean[out.length], out).map();
    return new Patch(intensity.apply(Resample.linear(image, zoom, out, fill)),
        labels == null ? null : Resample.nearest(labels, image.shape(), zoom, out));
  }

  private static double uniform(RandomGenerator rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }
}
