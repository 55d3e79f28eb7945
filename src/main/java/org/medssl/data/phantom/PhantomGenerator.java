package org.medssl.data.phantom;

import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.medssl.image.Grid;
import org.medssl.image.LabelMap;
import org.medssl.image.Volume;

/**
 * Generates MR-like abdominal phantoms: a body with subcutaneous fat, abdominal wall, spine,
 * vessels, stomach and bowel (unlabeled), and liver, kidneys and spleen (labeled), each subject
 * with its own anatomy, smooth deformation, contrast, texture, bias field and Rician noise.
 *
 * <p>A subject depends only on the config and its seed: the same pair gives bit-identical arrays
 * on any machine, since every draw comes from a {@link SplittableRandom} seeded with it.
 */
public final class PhantomGenerator {

  public static final int LIVER = 1;
  public static final int KIDNEY = 2;
  public static final int SPLEEN = 3;

  private static final List<String> LABEL_NAMES = List.of("background", "liver", "kidney", "spleen");
  /** Node spacing of the texture field: a few voxels, so texture is visible but not speckle. */
  private static final double TEXTURE_NODE_MM = 5;
  /** Node spacing of the fat/soft-tissue mix between organs: coarser strands. */
  private static final double MIX_NODE_MM = 8;
  /** Partial-volume blur in voxels (x, y, z), so edges are not staircases. */
  private static final double[] EDGE_BLUR_VOXELS = {0.6, 0.6, 0.4};

  /** Version 2's scanner ranges: exponent of the intensity curve, noise factor, overall gain. */
  static final double[] V2_GAMMA = {0.7, 1.4};
  static final double[] V2_NOISE = {0.45, 2.2};
  static final double[] V2_GAIN = {0.5, 2.0};
  private static final double V2_POSE_RANGE = 1.5;
  /** The curve's fixed point, at the top of the phantoms' 0..1000 scale. */
  private static final double GAMMA_REFERENCE = 1000;

  private final PhantomConfig config;

  public PhantomGenerator(PhantomConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("phantom config is required");
    }
    this.config = config;
  }

  public PhantomConfig config() {
    return config;
  }

  /** Label names by value: index 0 is "background". */
  public static List<String> labelNames() {
    return LABEL_NAMES;
  }

  public PhantomSubject generate(long subjectSeed) {
    return render(subjectSeed).subject();
  }

  /** A subject and the tissue of each voxel (for tests that look behind the labels). */
  record Rendered(PhantomSubject subject, byte[] tissue) {}

  Rendered render(long subjectSeed) {
    return config.version() == 1 ? renderV1(subjectSeed) : renderV2(subjectSeed);
  }

  /**
   * One independent stream per stage, so changing one stage's draws leaves the others alone;
   * version 2 splits its two extra streams after these, so the six are the same in both versions.
   */
  private record Streams(RandomGenerator anatomy, RandomGenerator warp, RandomGenerator contrast,
      RandomGenerator texture, RandomGenerator bias, RandomGenerator noise) {
    static Streams split(SplittableRandom root) {
      return new Streams(root.split(), root.split(), root.split(), root.split(), root.split(), root.split());
    }
  }

  private Rendered renderV1(long subjectSeed) {
    Streams r = Streams.split(new SplittableRandom(subjectSeed));

    Grid grid = config.grid();
    Anatomy anatomy = Anatomy.sample(r.anatomy());
    Warp warp = Warp.sample(grid, config.deformationMm(), r.warp());
    byte[] tissue = rasterise(grid, anatomy, warp);
    Contrast contrast = Contrast.sample(r.contrast(), config.textureStrength());
    float[] signal = paint(grid, tissue, contrast, r.texture());
    Intensity.blur(grid, signal, EDGE_BLUR_VOXELS);
    Intensity.applyBias(grid, signal, config.biasStrength(), r.bias());
    double sigma = config.noiseSigma() * r.noise().nextDouble(0.7, 1.3);
    Intensity.addRicianNoise(signal, sigma, r.noise());
    return new Rendered(new PhantomSubject(subjectSeed, new Volume(grid, signal), labels(grid, tissue)), tissue);
  }

  /**
   * Version 2: anatomy that varies the way patients do, one MR sequence, and a scanner that
   * differs per scan. Every draw depends on the subject's seed only, never on whether the subject
   * will be labeled, so labeled and unlabeled subjects come from one distribution.
   */
  private Rendered renderV2(long subjectSeed) {
    SplittableRandom root = new SplittableRandom(subjectSeed);
    Streams r = Streams.split(root);
    RandomGenerator variationRng = root.split();
    RandomGenerator scannerRng = root.split();

    Grid grid = config.grid();
    Variation variation = Variation.sample(variationRng);
    // Non-rigid shape change from slight to strong; the pose range is 1.5x version 1's.
    double deformationMm = config.deformationMm() * variationRng.nextDouble(0.5, 1.3);
    Anatomy anatomy = Anatomy.sample(r.anatomy(), variation);
    Warp warp = Warp.sample(grid, deformationMm, V2_POSE_RANGE, r.warp());
    byte[] tissue = rasterise(grid, anatomy, warp);

    // The scanner: everything here is monotone in the signal or smooth in space.
    double texture = config.textureStrength() * scannerRng.nextDouble(0.5, 1.8);
    double gamma = logUniform(scannerRng, V2_GAMMA[0], V2_GAMMA[1]);
    double bias = config.biasStrength() * scannerRng.nextDouble(0, 2);
    double sigma = config.noiseSigma() * logUniform(scannerRng, V2_NOISE[0], V2_NOISE[1]);
    double gain = logUniform(scannerRng, V2_GAIN[0], V2_GAIN[1]);

    Contrast contrast = Contrast.sequence(r.contrast(), texture);
    float[] signal = paint(grid, tissue, contrast, r.texture());
    Intensity.blur(grid, signal, EDGE_BLUR_VOXELS);
    Intensity.applyGamma(signal, gamma, GAMMA_REFERENCE);
    Intensity.applyBias(grid, signal, bias, r.bias());
    Intensity.addRicianNoise(signal, sigma, r.noise());
    Intensity.scale(signal, gain);
    return new Rendered(new PhantomSubject(subjectSeed, new Volume(grid, signal), labels(grid, tissue)), tissue);
  }

  private static double logUniform(RandomGenerator rng, double lo, double hi) {
    return Math.exp(rng.nextDouble(Math.log(lo), Math.log(hi)));
  }

  private static byte[] rasterise(Grid grid, Anatomy anatomy, Warp warp) {
    byte[] tissue = new byte[grid.size()];
    double[] p = new double[3];
    int idx = 0;
    for (int k = 0; k < grid.nz(); k++) {
      for (int j = 0; j < grid.ny(); j++) {
        for (int i = 0; i < grid.nx(); i++, idx++) {
          warp.map(i, j, k, idx, p);
          tissue[idx] = (byte) anatomy.tissueAt(p[0], p[1], p[2]).ordinal();
        }
      }
    }
    return tissue;
  }

  private static float[] paint(Grid grid, byte[] tissue, Contrast contrast, RandomGenerator rng) {
    float[] texture = SmoothField.random(grid, TEXTURE_NODE_MM, rng);
    float[] mix = SmoothField.random(grid, MIX_NODE_MM, rng);
    float gain = (float) rng.nextDouble(0.8, 1.2);
    float[] out = new float[tissue.length];
    for (int idx = 0; idx < out.length; idx++) {
      Tissue t = Tissue.ALL[tissue[idx]];
      float base = switch (t) {
        // Mostly fat with soft-tissue strands, like mesentery.
        case VISCERAL -> lerp(contrast.softTissue(), contrast.mean(t), sigmoid(2.5f * mix[idx] + 1.2f));
        // Each bowel loop holds something different, and it looks mottled, unlike an organ.
        case BOWEL_CONTENT -> contrast.mean(t) * (1 + 0.3f * mix[idx] + 0.25f * texture[idx]);
        default -> contrast.mean(t);
      };
      out[idx] = Math.max(0, gain * base * (1 + contrast.textureAmp(t) * texture[idx]));
    }
    return out;
  }

  private static LabelMap labels(Grid grid, byte[] tissue) {
    int[] labels = new int[tissue.length];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = Tissue.ALL[tissue[i]].label;
    }
    return new LabelMap(grid, labels);
  }

  private static float sigmoid(float v) {
    return 1 / (1 + (float) Math.exp(-v));
  }

  private static float lerp(float a, float b, float t) {
    return a + (b - a) * t;
  }
}
