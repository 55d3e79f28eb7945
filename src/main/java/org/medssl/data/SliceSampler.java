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
  private final int channels;
  private final SliceAugmenter augmenter;

  /**
   * @param augmenter augmentation, or null to only crop/pad each slice to {@code outH x outW}
   */
  public SliceSampler(List<Subject> subjects, int axis, int outH, int outW, SliceAugmenter augmenter) {
    this.axis = axis;
    this.outH = outH;
    this.outW = outW;
    this.augmenter = augmenter;
    this.channels = subjects.isEmpty() ? 1 : subjects.get(0).channelCount();
    for (Subject s : subjects) {
      if (s.channelCount() != channels) {
        throw new IllegalArgumentException(s.id() + " has " + s.channelCount() + " channels, others " + channels);
      }
      for (int i = 0; i < Slices.count(s.input().grid(), axis); i++) {
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

  /** Images {@code (n, channels, outH, outW)}, labels {@code (n, outH, outW)}. */
  public Batch sample(int n, RandomGenerator rng) {
    int pixels = outH * outW;
    float[] images = new float[n * channels * pixels];
    long[] labels = new long[n * pixels];
    for (int b = 0; b < n; b++) {
      boolean forceForeground = !withForeground.isEmpty() && rng.nextDouble() < FOREGROUND_FRACTION;
      List<SliceRef> from = forceForeground ? withForeground : all;
      List<Slice2d> s = prepare(from.get(rng.nextInt(from.size())), rng);
      for (int c = 0; c < channels; c++) {
        System.arraycopy(s.get(c).image(), 0, images, (b * channels + c) * pixels, pixels);
      }
      int[] sliceLabels = s.get(0).labels();
      for (int i = 0; i < pixels; i++) {
        labels[b * pixels + i] = sliceLabels[i];
      }
    }
    return new Batch(images, labels, n, channels, new int[] {outH, outW});
  }

  /** The slice's channels, the labels on the first, augmented or brought to the output size. */
  private List<Slice2d> prepare(SliceRef ref, RandomGenerator rng) {
    Subject subject = ref.subject();
    int[] hw = Slices.sliceShape(subject.input().grid(), axis);
    List<Slice2d> raw = new ArrayList<>(channels);
    for (int c = 0; c < channels; c++) {
      raw.add(new Slice2d(Slices.slice(subject.input().channel(c), axis, ref.index()),
          c == 0 ? Slices.slice(subject.labels(), axis, ref.index()) : null, hw[0], hw[1]));
    }
    if (augmenter != null) {
      return augmenter.augmentChannels(raw, rng);
    }
    if (hw[0] == outH && hw[1] == outW) {
      return raw;
    }
    return raw.stream().map(c -> Resample.apply(c, SpatialParams.IDENTITY, outH, outW)).toList();
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
