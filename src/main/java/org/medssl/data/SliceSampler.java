package org.medssl.data;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.medssl.augment.Resample;
import org.medssl.augment.Slice2d;
import org.medssl.augment.SliceAugmenter;
import org.medssl.augment.SpatialParams;
import org.medssl.image.Slices;

/**
 * Draws labeled 2D slices from whole subjects for fine-tuning. A third of the samples are forced
 * to contain foreground (nnU-Net's oversampling), so small organs are seen often enough.
 */
public final class SliceSampler {
  private static final double FOREGROUND_FRACTION = 1.0 / 3;

  private record SliceRef(Subject subject, int index) {}

  private final List<SliceRef> all = new ArrayList<>();
  private final List<SliceRef> withForeground = new ArrayList<>();
  private final int axis;
  private final int outH;
  private final int outW;
  private final SliceAugmenter augmenter;

  /**
   * @param augmenter augmentation, or null to only crop/pad each slice to {@code outH x outW}
   */
  public SliceSampler(List<Subject> subjects, int axis, int outH, int outW, SliceAugmenter augmenter) {
    this.axis = axis;
    this.outH = outH;
    this.outW = outW;
    this.augmenter = augmenter;
    for (Subject s : subjects) {
      for (int i = 0; i < Slices.count(s.image().grid(), axis); i++) {
        SliceRef ref = new SliceRef(s, i);
        all.add(ref);
        if (hasForeground(Slices.slice(s.labels(), axis, i))) {
          withForeground.add(ref);
        }
      }
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException("no slices to sample from");
    }
  }

  public Batch sample(int n, RandomGenerator rng) {
    float[] images = new float[n * outH * outW];
    long[] labels = new long[n * outH * outW];
    for (int b = 0; b < n; b++) {
      boolean forceForeground = !withForeground.isEmpty() && rng.nextDouble() < FOREGROUND_FRACTION;
      List<SliceRef> from = forceForeground ? withForeground : all;
      Slice2d s = prepare(from.get(rng.nextInt(from.size())), rng);
      System.arraycopy(s.image(), 0, images, b * outH * outW, outH * outW);
      for (int i = 0; i < outH * outW; i++) {
        labels[b * outH * outW + i] = s.labels()[i];
      }
    }
    return new Batch(images, labels, n, outH, outW);
  }

  private Slice2d prepare(SliceRef ref, RandomGenerator rng) {
    int[] hw = Slices.sliceShape(ref.subject().image().grid(), axis);
    Slice2d raw = new Slice2d(Slices.slice(ref.subject().image(), axis, ref.index()),
        Slices.slice(ref.subject().labels(), axis, ref.index()), hw[0], hw[1]);
    if (augmenter != null) {
      return augmenter.augment(raw, rng);
    }
    if (hw[0] == outH && hw[1] == outW) {
      return raw;
    }
    return Resample.apply(raw, SpatialParams.IDENTITY, outH, outW);
  }

  private static boolean hasForeground(int[] labels) {
    for (int v : labels) {
      if (v != 0) {
        return true;
      }
    }
    return false;
  }
}
