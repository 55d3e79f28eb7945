package org.medssl.data;

import java.util.List;
import java.util.random.RandomGenerator;
import org.medssl.augment.Slice2d;
import org.medssl.image.Slices;
import org.medssl.image.Volume;

/**
 * The images a pretraining draws from: whole preprocessed volumes (training and unlabeled
 * subjects, never test subjects) held by a {@link VolumePool}, as 2D slices along one axis or as
 * whole volumes for 3D methods. Thread-safe: it only reads.
 */
public final class PretrainImages {
  private final VolumePool volumes;
  private final int axis;

  public PretrainImages(VolumePool volumes, int axis) {
    if (volumes.size() == 0) {
      throw new IllegalArgumentException("no images to pretrain on");
    }
    this.volumes = volumes;
    this.axis = axis;
  }

  /** Volumes held in the heap. */
  public PretrainImages(List<Volume> volumes, int axis) {
    this(VolumePool.inHeap(volumes), axis);
  }

  /** A uniformly random volume, for 3D methods. */
  public Volume randomVolume(RandomGenerator rng) {
    return volumes.volume(rng.nextInt(volumes.size()));
  }

  public int size() {
    return volumes.size();
  }

  /** The number of slices along the slice axis over all volumes (a 2D epoch). */
  public int sliceCount() {
    int n = 0;
    for (int i = 0; i < volumes.size(); i++) {
      n += Slices.count(volumes.grid(i), axis);
    }
    return n;
  }

  /** Height and width of the slices of the first volume. */
  public int[] sliceShape() {
    return Slices.sliceShape(volumes.grid(0), axis);
  }

  /** A uniformly random slice of a uniformly random volume. */
  public Slice2d random(RandomGenerator rng) {
    int v = rng.nextInt(volumes.size());
    return slice(v, rng.nextInt(Slices.count(volumes.grid(v), axis)));
  }

  /**
   * Two slices of two different volumes from the same one of {@code partitions} equal parts along
   * the slice axis (Chaitanya et al.'s "same partition" positives), each at a random position
   * inside that part.
   */
  public Slice2d[] samePartitionPair(int partitions, RandomGenerator rng) {
    int part = rng.nextInt(partitions);
    int a = rng.nextInt(volumes.size());
    int b = volumes.size() < 2 ? a : (a + 1 + rng.nextInt(volumes.size() - 1)) % volumes.size();
    return new Slice2d[] {inPartition(a, part, partitions, rng), inPartition(b, part, partitions, rng)};
  }

  private Slice2d inPartition(int v, int part, int partitions, RandomGenerator rng) {
    int n = Slices.count(volumes.grid(v), axis);
    int from = part * n / partitions;
    int to = Math.max(from + 1, (part + 1) * n / partitions);
    return slice(v, from + rng.nextInt(to - from));
  }

  private Slice2d slice(int v, int index) {
    int[] hw = Slices.sliceShape(volumes.grid(v), axis);
    return new Slice2d(volumes.slice(v, axis, index), null, hw[0], hw[1]);
  }
}
