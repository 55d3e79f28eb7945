package org.medssl.data.phantom;

import java.util.random.RandomGenerator;

/**
 * One subject's MR contrast: a mean intensity and a texture amplitude per tissue.
 *
 * <p>Means interpolate between a T1-like and a T2-like look with a per-subject weighting, then
 * get a per-tissue jitter, so organ brightness ranges overlap and their order changes between
 * subjects (liver brighter than spleen in one, darker in the next). Draws are repeated until every
 * organ differs from its surroundings by a visible margin: hard, but with boundaries an expert
 * could still draw.
 */
final class Contrast {

  private static final int TRIES = 200;

  private final float[] mean;
  private final float[] textureAmp;
  private final float softTissue;

  private Contrast(float[] mean, float[] textureAmp, float softTissue) {
    this.mean = mean;
    this.textureAmp = textureAmp;
    this.softTissue = softTissue;
  }

  float mean(Tissue t) {
    return mean[t.ordinal()];
  }

  float textureAmp(Tissue t) {
    return textureAmp[t.ordinal()];
  }

  /** Intensity of the non-fat part of the visceral mix. */
  float softTissue() {
    return softTissue;
  }

  static Contrast sample(RandomGenerator rng, double textureStrength) {
    float[] amp = new float[Tissue.ALL.length];
    for (Tissue t : Tissue.ALL) {
      amp[t.ordinal()] = (float) (textureStrength * Anatomy.u(rng, 0.5, 1.5));
    }
    double w = rng.nextDouble();
    for (int i = 0; ; i++) {
      float soft = (float) (lerp(420, 260, w) * Anatomy.u(rng, 0.85, 1.15));
      float[] mean = means(rng, w);
      if (visible(mean, soft) || i == TRIES) {
        return new Contrast(mean, amp, soft);
      }
    }
  }

  private static float[] means(RandomGenerator rng, double w) {
    float[] m = new float[Tissue.ALL.length];
    double fluid = lerp(90, 950, w) * Anatomy.u(rng, 0.8, 1.05);
    double vessel = Anatomy.u(rng, 60, 800);
    set(m, Tissue.AIR, 0);
    set(m, Tissue.FAT, lerp(900, 760, w) * Anatomy.u(rng, 0.9, 1.08));
    set(m, Tissue.MUSCLE, lerp(330, 170, w) * Anatomy.u(rng, 0.8, 1.2));
    set(m, Tissue.VISCERAL, m[Tissue.FAT.ordinal()]);
    set(m, Tissue.BONE, Anatomy.u(rng, 30, 90));
    set(m, Tissue.MARROW, lerp(600, 420, w) * Anatomy.u(rng, 0.8, 1.2));
    set(m, Tissue.DISC, lerp(250, 650, w) * Anatomy.u(rng, 0.8, 1.2));
    set(m, Tissue.CSF, fluid);
    set(m, Tissue.VESSEL, vessel);
    set(m, Tissue.GALLBLADDER, fluid * Anatomy.u(rng, 0.8, 1.1));
    set(m, Tissue.STOMACH_WALL, lerp(380, 300, w) * Anatomy.u(rng, 0.8, 1.2));
    set(m, Tissue.STOMACH_CONTENT, stomachContent(rng, fluid));
    set(m, Tissue.BOWEL_WALL, lerp(400, 320, w) * Anatomy.u(rng, 0.8, 1.2));
    set(m, Tissue.BOWEL_CONTENT, Anatomy.u(rng, 150, 800));
    set(m, Tissue.LIVER, lerp(620, 300, w) * Anatomy.u(rng, 0.8, 1.2));
    set(m, Tissue.LIVER_VESSEL, vessel * Anatomy.u(rng, 0.8, 1.2));
    set(m, Tissue.LIVER_CYST, fluid * Anatomy.u(rng, 0.85, 1.05));
    set(m, Tissue.KIDNEY_CORTEX, lerp(520, 580, w) * Anatomy.u(rng, 0.75, 1.2));
    set(m, Tissue.KIDNEY_MEDULLA, lerp(340, 740, w) * Anatomy.u(rng, 0.8, 1.2));
    set(m, Tissue.KIDNEY_CYST, fluid * Anatomy.u(rng, 0.85, 1.05));
    set(m, Tissue.SPLEEN, lerp(460, 560, w) * Anatomy.u(rng, 0.75, 1.25));
    return m;
  }

  private static double stomachContent(RandomGenerator rng, double fluid) {
    double kind = rng.nextDouble();
    if (kind < 0.3) {
      return Anatomy.u(rng, 10, 40); // air
    }
    return kind < 0.6 ? fluid : Anatomy.u(rng, 200, 600); // water or food
  }

  /** Each organ stands out from muscle, the soft part of the viscera and fat. */
  private static boolean visible(float[] m, float soft) {
    for (Tissue organ : new Tissue[] {Tissue.LIVER, Tissue.KIDNEY_CORTEX, Tissue.SPLEEN}) {
      float v = m[organ.ordinal()];
      if (Math.abs(v - m[Tissue.MUSCLE.ordinal()]) < 80 || Math.abs(v - soft) < 60
          || Math.abs(v - m[Tissue.FAT.ordinal()]) < 150) {
        return false;
      }
    }
    return Math.abs(m[Tissue.KIDNEY_CORTEX.ordinal()] - m[Tissue.KIDNEY_MEDULLA.ordinal()]) > 50;
  }

  private static void set(float[] m, Tissue t, double v) {
    m[t.ordinal()] = (float) v;
  }

  private static double lerp(double t1, double t2, double w) {
    return t1 + (t2 - t1) * w;
  }
}
