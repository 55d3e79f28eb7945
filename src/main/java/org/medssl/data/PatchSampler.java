package org.medssl.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.medssl.augment.CropBox;
import org.medssl.augment.DenseImage;
import org.medssl.augment.PatchAugmenter;
import org.medssl.image.Grid;

/**
 * Draws labeled 3D patches from whole subjects for fine-tuning, in tensor order (z, y, x).
 *
 * <p>A third of the samples are forced to contain foreground, as nnU-Net oversamples: a
 * foreground class present in the subject is drawn, then one of its voxels, and the patch is
 * centred on it with a jitter of up to a quarter patch per axis (clamped to the volume, which
 * keeps the voxel inside). The other samples take a uniformly random patch of a random subject.
 * Volumes smaller than the patch along an axis are padded once, centred, with the image's minimum
 * and label 0. Optional augmentation ({@link PatchAugmenter}) zooms each patch about its centre
 * and changes its intensities; optional flips reverse chosen axes, each with probability 1/2.
 *
 * <p>Every draw comes from the generator passed to {@link #sample}, so a batch depends only on it.
 * Subjects are prepared once; a sample is a few row copies, cheap enough for the loader thread.
 */
public final class PatchSampler {
  private static final double FOREGROUND_FRACTION = 1.0 / 3;
  /** Voxels remembered per class and subject: enough to centre on any part of an organ, bounded for large scans. */
  static final int MAX_LOCATIONS_PER_CLASS = 10_000;

  private final List<Source> sources = new ArrayList<>();
  private final List<Source> withForeground = new ArrayList<>();
  private final PatchSize patch;
  private final boolean[] flipAxes;
  private final PatchAugmenter augmenter;
  private final int channels;

  /**
   * A subject padded to at least the patch size, with the flat indices of (a stride-subsample of)
   * each foreground class's voxels; {@code size} is {d, h, w}. {@code images} and {@code fills}
   * (each channel's minimum, what padding and zooming out read) hold one entry per channel.
   */
  private record Source(float[][] images, int[] labels, int[] size, List<int[]> classVoxels, float[] fills) {}

  /** Which axes a sample may be flipped along, each with probability 1/2. */
  public record Flips(boolean depth, boolean height, boolean width) {
    /** For anatomy whose sides differ (see {@code seg.FineTuner}). */
    public static final Flips NONE = new Flips(false, false, false);
    /** Every axis, as nnU-Net mirrors. */
    public static final Flips ALL = new Flips(true, true, true);

    boolean[] toArray() {
      return new boolean[] {depth, height, width};
    }
  }

  /** Patches without zoom or intensity augmentation. */
  public PatchSampler(List<Subject> subjects, PatchSize patch, Flips flips) {
    this(subjects, patch, flips, null);
  }

  /**
   * @param subjects labeled subjects
   * @param augmenter zoom and intensity augmentation of every patch, or null for plain copies
   */
  public PatchSampler(List<Subject> subjects, PatchSize patch, Flips flips, PatchAugmenter augmenter) {
    this.patch = patch;
    this.flipAxes = flips.toArray();
    this.augmenter = augmenter;
    this.channels = subjects.isEmpty() ? 1 : subjects.get(0).channelCount();
    for (Subject s : subjects) {
      if (!s.labeled()) {
        throw new IllegalArgumentException(s.id() + " has no labels to sample patches from");
      }
      if (s.channelCount() != channels) {
        throw new IllegalArgumentException(s.id() + " has " + s.channelCount() + " channels, others " + channels);
      }
      Source src = prepare(s, patch);
      sources.add(src);
      if (!src.classVoxels().isEmpty()) {
        withForeground.add(src);
      }
    }
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("no subjects to sample patches from");
    }
  }

  public PatchSize patch() {
    return patch;
  }

  /** {@code n} patches: images {@code (n, channels, d, h, w)}, labels {@code (n, d, h, w)}. */
  public Batch sample(int n, RandomGenerator rng) {
    int voxels = patch.voxels();
    float[] images = new float[n * channels * voxels];
    long[] labels = new long[n * voxels];
    for (int b = 0; b < n; b++) {
      boolean forceForeground = !withForeground.isEmpty() && rng.nextDouble() < FOREGROUND_FRACTION;
      List<Source> from = forceForeground ? withForeground : sources;
      Source s = from.get(rng.nextInt(from.size()));
      int[] origin = forceForeground ? aroundForeground(s, rng) : anywhere(s, rng);
      boolean[] flip = new boolean[3];
      for (int a = 0; a < 3; a++) {
        flip[a] = flipAxes[a] && rng.nextBoolean();
      }
      if (augmenter == null) {
        copy(s, origin, flip, images, labels, b);
      } else { // the augmented patch is a source of exactly the patch's size
        copy(augmented(s, origin, rng), new int[3], flip, images, labels, b);
      }
    }
    return new Batch(images, labels, n, channels, patch.toArray());
  }

  private int[] anywhere(Source s, RandomGenerator rng) {
    int[] p = patch.toArray();
    int[] origin = new int[3];
    for (int a = 0; a < 3; a++) {
      origin[a] = rng.nextInt(s.size()[a] - p[a] + 1);
    }
    return origin;
  }

  /** A patch origin that puts a random voxel of a random foreground class near the patch centre. */
  private int[] aroundForeground(Source s, RandomGenerator rng) {
    int[] voxels = s.classVoxels().get(rng.nextInt(s.classVoxels().size()));
    int index = voxels[rng.nextInt(voxels.length)];
    int[] size = s.size();
    int[] centre = {index / (size[1] * size[2]), index / size[2] % size[1], index % size[2]};
    int[] p = patch.toArray();
    int[] origin = new int[3];
    for (int a = 0; a < 3; a++) {
      int jitter = rng.nextInt(p[a] / 2 + 1) - p[a] / 4;
      origin[a] = Math.max(0, Math.min(size[a] - p[a], centre[a] - p[a] / 2 + jitter));
    }
    return origin;
  }

  /**
   * The patch at {@code origin} zoomed about its centre (one box for every channel, so they stay
   * aligned) and with each channel's intensities changed by a draw of its own, as a source of its own.
   */
  private Source augmented(Source s, int[] origin, RandomGenerator rng) {
    int[] p = patch.toArray();
    double[] centre = new double[3];
    for (int a = 0; a < 3; a++) {
      centre[a] = origin[a] + p[a] / 2.0;
    }
    CropBox box = augmenter.sampleBox(centre, p, rng);
    float[][] images = new float[channels][];
    int[] labels = null;
    for (int c = 0; c < channels; c++) {
      PatchAugmenter.Patch out = PatchAugmenter.apply(new DenseImage(s.images()[c], s.size()),
          c == 0 ? s.labels() : null, box, p, s.fills()[c], augmenter.sampleIntensity(rng));
      images[c] = out.image().values();
      labels = c == 0 ? out.labels() : labels;
    }
    return new Source(images, labels, p, List.of(), s.fills());
  }

  /** Copies the patch at {@code origin} (flipped per axis as asked) into sample {@code b} of the batch arrays. */
  private void copy(Source s, int[] origin, boolean[] flip, float[] images, long[] labels, int b) {
    int voxels = patch.voxels();
    int w = patch.width();
    for (int c = 0; c < channels; c++) {
      float[] image = s.images()[c];
      int offset = (b * channels + c) * voxels;
      forEachRow(s, origin, flip, (src, dst) -> {
        if (flip[2]) {
          for (int x = 0; x < w; x++) {
            images[offset + dst + x] = image[src + w - 1 - x];
          }
        } else {
          System.arraycopy(image, src, images, offset + dst, w);
        }
      });
    }
    forEachRow(s, origin, flip, (src, dst) -> {
      for (int x = 0; x < w; x++) {
        labels[b * voxels + dst + x] = s.labels()[src + (flip[2] ? w - 1 - x : x)];
      }
    });
  }

  /** A row of the patch: where it starts in the source and in the patch. */
  private interface RowCopy {
    void copy(int src, int dst);
  }

  /** Visits the patch's rows (x runs), with depth and height flipped as asked. */
  private void forEachRow(Source s, int[] origin, boolean[] flip, RowCopy row) {
    int d = patch.depth();
    int h = patch.height();
    int w = patch.width();
    int srcH = s.size()[1];
    int srcW = s.size()[2];
    for (int z = 0; z < d; z++) {
      int sz = origin[0] + (flip[0] ? d - 1 - z : z);
      for (int y = 0; y < h; y++) {
        int sy = origin[1] + (flip[1] ? h - 1 - y : y);
        row.copy((sz * srcH + sy) * srcW + origin[2], (z * h + y) * w);
      }
    }
  }

  private static Source prepare(Subject s, PatchSize patch) {
    Grid g = s.input().grid();
    int[] size = {g.nz(), g.ny(), g.nx()};
    int[] p = patch.toArray();
    int[] padded = new int[3];
    for (int a = 0; a < 3; a++) {
      padded[a] = Math.max(size[a], p[a]);
    }
    boolean pad = !Arrays.equals(size, padded);
    int channels = s.channelCount();
    float[][] images = new float[channels][];
    float[] fills = new float[channels];
    for (int c = 0; c < channels; c++) {
      float[] image = s.input().channel(c).voxels();
      fills[c] = Padding.minimum(image);
      images[c] = pad ? Padding.centred(image, size, padded, fills[c]) : image;
    }
    int[] labels = pad ? Padding.centred(s.labels().labels(), size, padded) : s.labels().labels();
    return new Source(images, labels, padded, classVoxels(labels), fills);
  }

  /** For each foreground class present, the flat indices of its voxels, stride-subsampled to a bounded count. */
  private static List<int[]> classVoxels(int[] labels) {
    int classes = 0;
    for (int v : labels) {
      classes = Math.max(classes, v + 1);
    }
    int[] counts = new int[classes];
    for (int v : labels) {
      counts[v]++;
    }
    List<int[]> out = new ArrayList<>();
    for (int c = 1; c < classes; c++) {
      if (counts[c] == 0) {
        continue;
      }
      int stride = (counts[c] + MAX_LOCATIONS_PER_CLASS - 1) / MAX_LOCATIONS_PER_CLASS;
      int[] kept = new int[(counts[c] + stride - 1) / stride];
      int seen = 0;
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] == c && seen++ % stride == 0) {
          kept[(seen - 1) / stride] = i;
        }
      }
      out.add(kept);
    }
    return out;
  }
}
