package org.medssl.data.phantom;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The anatomical variation version 2 adds on top of version 1's draws: organ sizes and positions, a
 * larger left liver lobe or none, body build (width, depth, subcutaneous fat, a lobulated outline)
 * and lesions. {@link #NONE} changes nothing, which is how version 1 stays bit for bit what it was:
 * every factor is 1 and every shift 0, so the arithmetic is exact.
 *
 * @param liverScale size of the whole liver (linear)
 * @param leftLobeScale size of the left lobe relative to the rest of the liver
 * @param kidneyScale size of both kidneys
 * @param spleenScale size of the spleen (large spleens are common)
 * @param liverShiftMm position of the liver (x, y, z)
 * @param kidneyShiftMm position of the kidneys
 * @param spleenShiftMm position of the spleen
 * @param bodyWidth factor on the body's left-right semi-axis
 * @param bodyDepth factor on the body's anterior-posterior semi-axis
 * @param fatScale factor on the subcutaneous fat thickness (thin to obese)
 * @param lobulation amplitudes and phases of the 2nd and 3rd harmonic of the body outline
 *     {a2, phase2, a3, phase3}; zero amplitudes give the plain ellipse
 * @param lesions lesions inside the organs, labeled as the organ
 * @param liverDeform bends the liver (null: none), likewise {@code kidneyDeform} (both kidneys)
 *     and {@code spleenDeform}
 */
record Variation(double liverScale, double leftLobeScale, double kidneyScale, double spleenScale,
    double[] liverShiftMm, double[] kidneyShiftMm, double[] spleenShiftMm, double bodyWidth,
    double bodyDepth, double fatScale, double[] lobulation, List<Lesion> lesions, OrganDeform liverDeform,
    OrganDeform kidneyDeform, OrganDeform spleenDeform) {

  static final Variation NONE = new Variation(1, 1, 1, 1, new double[3], new double[3], new double[3],
      1, 1, 1, new double[4], List.of(), null, null, null);

  /**
   * A lesion inside an organ: centre as fractions of the organ's semi-axes from its centre, and
   * semi-axes in millimetres.
   *
   * @param label the organ's label ({@link PhantomGenerator#LIVER}, KIDNEY or SPLEEN)
   * @param side for a kidney lesion: -1 right kidney (image left), +1 left
   */
  record Lesion(int label, int side, double u, double v, double w, double ax, double ay, double az) {}

  Variation {
    liverShiftMm = liverShiftMm.clone();
    kidneyShiftMm = kidneyShiftMm.clone();
    spleenShiftMm = spleenShiftMm.clone();
    lobulation = lobulation.clone();
    lesions = List.copyOf(lesions);
  }

  boolean lobulated() {
    return lobulation[0] != 0 || lobulation[2] != 0;
  }

  /** Radial factor of the body outline at angle {@code theta}: the outline is the ellipse times this. */
  double outline(double theta) {
    return 1 + lobulation[0] * Math.cos(2 * theta + lobulation[1])
        + lobulation[2] * Math.cos(3 * theta + lobulation[3]);
  }

  /** Version 2's draws: ranges are per subject and independent of whether a subject is labeled. */
  static Variation sample(RandomGenerator rng) {
    double liver = rng.nextDouble(0.85, 1.18);
    double leftLobe = rng.nextDouble(0.55, 1.35);
    double kidney = rng.nextDouble(0.85, 1.15);
    double spleen = rng.nextDouble(0.8, 1.35);
    double[] liverShift = shift(rng, 6, 5, 8);
    double[] kidneyShift = shift(rng, 3, 4, 8);
    double[] spleenShift = shift(rng, 4, 6, 8);
    double width = rng.nextDouble(0.94, 1.06);
    double depth = rng.nextDouble(0.93, 1.1);
    double fat = rng.nextDouble(0.6, 2.4);
    double[] lobes = {rng.nextDouble(0, 0.04), rng.nextDouble(0, 2 * Math.PI), rng.nextDouble(0, 0.025),
        rng.nextDouble(0, 2 * Math.PI)};
    double p = rng.nextDouble();
    int count = p < 0.3 ? 0 : p < 0.6 ? 1 : p < 0.85 ? 2 : 3;
    List<Lesion> lesions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double organ = rng.nextDouble();
      int label = organ < 0.6 ? PhantomGenerator.LIVER : organ < 0.8 ? PhantomGenerator.KIDNEY : PhantomGenerator.SPLEEN;
      int side = rng.nextBoolean() ? 1 : -1;
      double r = rng.nextDouble(3, 9);
      lesions.add(new Lesion(label, side, rng.nextDouble(-0.55, 0.55), rng.nextDouble(-0.55, 0.55),
          rng.nextDouble(-0.55, 0.55), r * rng.nextDouble(0.8, 1.2), r * rng.nextDouble(0.8, 1.2),
          r * rng.nextDouble(0.8, 1.2)));
    }
    OrganDeform liverDeform = OrganDeform.sample(rng, rng.nextDouble(0.5, 4));
    OrganDeform kidneyDeform = OrganDeform.sample(rng, rng.nextDouble(0.5, 2.5));
    OrganDeform spleenDeform = OrganDeform.sample(rng, rng.nextDouble(0.5, 4));
    return new Variation(liver, leftLobe, kidney, spleen, liverShift, kidneyShift, spleenShift, width, depth,
        fat, lobes, lesions, liverDeform, kidneyDeform, spleenDeform);
  }

  private static double[] shift(RandomGenerator rng, double x, double y, double z) {
    return new double[] {rng.nextDouble(-x, x), rng.nextDouble(-y, y), rng.nextDouble(-z, z)};
  }
}
