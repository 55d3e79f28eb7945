package org.medssl.augment;

import java.util.random.RandomGenerator;

/**
 * PGL's two crop boxes of one image (Xie et al., sec. 3.2): each side is {@code U(scaleMin,
 * scaleMax)} times the network input's side on that axis (drawn per axis), shortened to the
 * image's extent where the image is smaller, placed uniformly inside the image; the two boxes must
 * {@linkplain CropBox#overlap overlap} by at least {@code minOverlap} so that the prior can align a
 * region both views see.
 *
 * <p>The second box is drawn uniformly among the positions where it meets the first and redrawn
 * (size and position) until the overlap holds; that is the uniform distribution over positions
 * with enough overlap, with few rejections. After {@link #ATTEMPTS} failures (vanishingly rare,
 * but the guarantee must not depend on luck) the second box is placed at the first's corner, which
 * provably overlaps by at least {@code (scaleMin / scaleMax)^dims} (per axis the shared length is
 * the shorter side, and two sides differ by at most that ratio even after shortening); if even that
 * is below the threshold, the second box is the first. No pair below the threshold is returned.
 */
public record OverlappingCrops(double scaleMin, double scaleMax, double minOverlap) {
  static final int ATTEMPTS = 100;

  public OverlappingCrops {
    if (!(scaleMin > 0 && scaleMax >= scaleMin)) {
      throw new IllegalArgumentException("crop scales must satisfy 0 < min <= max: " + scaleMin + ", " + scaleMax);
    }
    if (!(minOverlap >= 0 && minOverlap <= 1)) {
      throw new IllegalArgumentException("minimum overlap must be in [0, 1]: " + minOverlap);
    }
  }

  /** Two boxes in {@code image} (shape in tensor order) for an input of {@code input} voxels. */
  public CropBox[] sample(int[] image, int[] input, RandomGenerator rng) {
    if (image.length != input.length) {
      throw new IllegalArgumentException("image and input have different numbers of axes");
    }
    CropBox first = place(sides(image, input, rng), image, rng);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      CropBox second = placeMeeting(first, sides(image, input, rng), image, rng);
      if (first.overlap(second) >= minOverlap) {
        return new CropBox[] {first, second};
      }
    }
    CropBox corner = atCornerOf(first, sides(image, input, rng), image);
    return new CropBox[] {first, first.overlap(corner) >= minOverlap ? corner : first};
  }

  private double[] sides(int[] image, int[] input, RandomGenerator rng) {
    double[] s = new double[image.length];
    for (int i = 0; i < s.length; i++) {
      double scale = scaleMin + (scaleMax - scaleMin) * rng.nextDouble();
      s[i] = Math.min(scale * input[i], image[i]);
    }
    return s;
  }

  private static CropBox place(double[] sides, int[] image, RandomGenerator rng) {
    double[] o = new double[sides.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = (image[i] - sides[i]) * rng.nextDouble();
    }
    return new CropBox(o, sides);
  }

  /** Uniform among the positions inside the image where the box intersects {@code first}. */
  private static CropBox placeMeeting(CropBox first, double[] sides, int[] image, RandomGenerator rng) {
    double[] o = new double[sides.length];
    for (int i = 0; i < o.length; i++) {
      double lo = Math.max(0, first.start(i) - sides[i]);
      double hi = Math.min(image[i] - sides[i], first.end(i));
      o[i] = lo + (hi - lo) * rng.nextDouble();
    }
    return new CropBox(o, sides);
  }

  /** The box at the first's origin, moved back inside the image where it would stick out. */
  private static CropBox atCornerOf(CropBox first, double[] sides, int[] image) {
    double[] o = new double[sides.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = Math.min(first.start(i), image[i] - sides[i]);
    }
    return new CropBox(o, sides);
  }
}
