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
    for (int t = 0; t < Tissue.V1_COUNT; t++) {
      amp[t] = (float) (textureStrength * rng.nextDouble(0.5, 1.5));
    }
    double w = rng.nextDouble();
    for (int i = 0; ; i++) {
      float soft = (float) (lerp(420, 260, w) * rng.nextDouble(0.85, 1.15));
      float[] mean = means(rng, w);
      if (visible(mean, soft) || i == TRIES) {
        return new Contrast(mean, amp, soft);
      }
    }
  }

  /**
   * Version 2: one MR sequence (T1-weighted, fat bright, fluid dark) for every subject. Tissues
   * vary a little between subjects (each mean within ±5 %), never enough to reorder the organs:
   * liver > kidney cortex > spleen > kidney medulla > muscle in every subject. What changes
   * between scans beyond that is the scanner (gain, a monotone intensity curve, bias field, noise),
   * which {@link PhantomGenerator} applies to the whole image. Lesions are darker (most) or
   * brighter than their organ by a per-subject factor.
   */
  static Contrast sequence(RandomGenerator rng, double textureStrength) {
    float[] amp = new float[Tissue.ALL.length];
    for (Tissue t : Tissue.ALL) {
      amp[t.ordinal()] = (float) (textureStrength * rng.nextDouble(0.5, 1.5));
    }
    float[] m = new float[Tissue.ALL.length];
    double fluid = 110 * jitter(rng);
    double vessel = rng.nextDouble(80, 220); // flow: darker or brighter from scan to scan
    set(m, Tissue.AIR, 0);
    set(m, Tissue.FAT, 880 * jitter(rng));
    set(m, Tissue.MUSCLE, 300 * jitter(rng));
    set(m, Tissue.VISCERAL, m[Tissue.FAT.ordinal()]);
    set(m, Tissue.BONE, rng.nextDouble(30, 90));
    set(m, Tissue.MARROW, 560 * jitter(rng));
    set(m, Tissue.DISC, 260 * jitter(rng));
    set(m, Tissue.CSF, fluid);
    set(m, Tissue.VESSEL, vessel);
    set(m, Tissue.GALLBLADDER, rng.nextDouble(90, 300)); // dilute to concentrated bile
    set(m, Tissue.STOMACH_WALL, 360 * jitter(rng));
    set(m, Tissue.STOMACH_CONTENT, stomachContent(rng, fluid));
    set(m, Tissue.BOWEL_WALL, 380 * jitter(rng));
    set(m, Tissue.BOWEL_CONTENT, rng.nextDouble(150, 600));
    set(m, Tissue.LIVER, 640 * jitter(rng));
    set(m, Tissue.LIVER_VESSEL, vessel * rng.nextDouble(0.9, 1.1));
    set(m, Tissue.LIVER_CYST, fluid);
    set(m, Tissue.KIDNEY_CORTEX, 520 * jitter(rng));
    set(m, Tissue.KIDNEY_MEDULLA, 360 * jitter(rng));
    set(m, Tissue.KIDNEY_CYST, fluid);
    set(m, Tissue.SPLEEN, 450 * jitter(rng));
    double lesion = rng.nextDouble() < 0.75 ? rng.nextDouble(0.45, 0.75) : rng.nextDouble(1.25, 1.5);
    set(m, Tissue.LIVER_LESION, lesion * m[Tissue.LIVER.ordinal()]);
    set(m, Tissue.KIDNEY_LESION, lesion * m[Tissue.KIDNEY_CORTEX.ordinal()]);
    set(m, Tissue.SPLEEN_LESION, lesion * m[Tissue.SPLEEN.ordinal()]);
    return new Contrast(m, amp, (float) (380 * jitter(rng)));
  }

  /** A subject's tissue differs from the sequence's typical value by at most ±5 %. */
  private static double jitter(RandomGenerator rng) {
    return rng.nextDouble(0.95, 1.05);
  }

  private static float[] means(RandomGenerator rng, double w) {
    float[] m = new float[Tissue.ALL.length];
    double fluid = lerp(90, 950, w) * rng.nextDouble(0.8, 1.05);
    double vessel = rng.nextDouble(60, 800);
    set(m, Tissue.AIR, 0);
    set(m, Tissue.FAT, lerp(900, 760, w) * rng.nextDouble(0.9, 1.08));
    set(m, Tissue.MUSCLE, lerp(330, 170, w) * rng.nextDouble(0.87, 1.15));
    set(m, Tissue.VISCERAL, m[Tissue.FAT.ordinal()]);
    set(m, Tissue.BONE, rng.nextDouble(30, 90));
    set(m, Tissue.MARROW, lerp(600, 420, w) * rng.nextDouble(0.8, 1.2));
    set(m, Tissue.DISC, lerp(250, 650, w) * rng.nextDouble(0.8, 1.2));
    set(m, Tissue.CSF, fluid);
    set(m, Tissue.VESSEL, vessel);
    set(m, Tissue.GALLBLADDER, fluid * rng.nextDouble(0.8, 1.1));
    set(m, Tissue.STOMACH_WALL, lerp(380, 300, w) * rng.nextDouble(0.8, 1.2));
    set(m, Tissue.STOMACH_CONTENT, stomachContent(rng, fluid));
    set(m, Tissue.BOWEL_WALL, lerp(400, 320, w) * rng.nextDouble(0.8, 1.2));
    set(m, Tissue.BOWEL_CONTENT, rng.nextDouble(150, 800));
    set(m, Tissue.LIVER, lerp(620, 300, w) * rng.nextDouble(0.87, 1.15));
    set(m, Tissue.LIVER_VESSEL, vessel * rng.nextDouble(0.8, 1.2));
    set(m, Tissue.LIVER_CYST, fluid * rng.nextDouble(0.85, 1.05));
    set(m, Tissue.KIDNEY_CORTEX, lerp(520, 580, w) * rng.nextDouble(0.87, 1.15));
    set(m, Tissue.KIDNEY_MEDULLA, lerp(340, 740, w) * rng.nextDouble(0.87, 1.15));
    set(m, Tissue.KIDNEY_CYST, fluid * rng.nextDouble(0.85, 1.05));
    set(m, Tissue.SPLEEN, lerp(460, 560, w) * rng.nextDouble(0.87, 1.15));
    return m;
  }

  private static double stomachContent(RandomGenerator rng, double fluid) {
    double kind = rng.nextDouble();
    if (kind < 0.3) {
      return rng.nextDouble(10, 40); // air
    }
    return kind < 0.6 ? fluid : rng.nextDouble(200, 600); // water or food
  }

  /** Each organ stands out from muscle, the soft part of the viscera, fat and its neighbours. */
  private static boolean visible(float[] m, float soft) {
    for (Tissue organ : new Tissue[] {Tissue.LIVER, Tissue.KIDNEY_CORTEX, Tissue.SPLEEN}) {
      float v = m[organ.ordinal()];
      if (Math.abs(v - m[Tissue.MUSCLE.ordinal()]) < 100 || Math.abs(v - soft) < 80
          || Math.abs(v - m[Tissue.FAT.ordinal()]) < 150) {
        return false;
      }
    }
    // Organs that can touch in a slice differ too, though their order changes between subjects.
    return apart(m, Tissue.KIDNEY_CORTEX, Tissue.KIDNEY_MEDULLA, 50)
        && apart(m, Tissue.SPLEEN, Tissue.KIDNEY_CORTEX, 50)
        && apart(m, Tissue.SPLEEN, Tissue.LIVER, 50);
  }

  private static boolean apart(float[] m, Tissue a, Tissue b, float margin) {
    return Math.abs(m[a.ordinal()] - m[b.ordinal()]) >= margin;
  }

  private static void set(float[] m, Tissue t, double v) {
    m[t.ordinal()] = (float) v;
  }

  private static double lerp(double t1, double t2, double w) {
    return t1 + (t2 - t1) * w;
  }
}
