package org.medssl.data;

import java.util.List;
import java.util.random.RandomGenerator;
import org.medssl.augment.Slice2d;
import org.medssl.image.Slices;
import org.medssl.image.Volume;

/**
 * The images a pretraining draws from: whole preprocessed volumes (training and unlabeled
 * subjects, never test subjects), as 2D slices along one axis or as whole volumes for 3D
 * methods. Thread-safe: it only reads.
 */
public final class PretrainImages {
  private final List<Volume> volumes;
  private final int axis;

  public PretrainImages(List<Volume> volumes, int axis) {
    if (volumes.isEmpty()) {
      throw new IllegalArgumentException("no images to pretrain on");
    }
    this.volumes = List.copyOf(volumes);
    this.axis = axis;
  }

  /** A uniformly random volume, for 3D methods. */
  public Volume randomVolume(RandomGenerator rng) {
    return volumes.get(rng.nextInt(volumes.size()));
  }

  public List<Volume> volumes() {
    return volumes;
  }

  /** The number of slices along the slice axis over all volumes (a 2D epoch). */
  public int sliceCount() {
    return volumes.stream().mapToInt(v -> Slices.count(v.grid(), axis)).sum();
  }

  /** Height and width of the slices of the first volume. */
  public int[] sliceShape() {
    return Slices.sliceShape(volumes.get(0).grid(), axis);
  }

  /** A uniformly random slice of a uniformly random volume. */
  public Slice2d random(RandomGenerator rng) {
    Volume v = volumes.get(rng.nextInt(volumes.size()));
    return slice(v, rng.nextInt(Slices.count(v.grid(), axis)));
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
    return new Slice2d[] {inPartition(volumes.get(a), part, partitions, rng),
        inPartition(volumes.get(b), part, partitions, rng)};
  }

  private Slice2d inPartition(Volume v, int part, int partitions, RandomGenerator rng) {
    int n = Slices.count(v.grid(), axis);
    int from = part * n / partitions;
    int to = Math.max(from + 1, (part + 1) * n / partitions);
    return slice(v, from + rng.nextInt(to - from));
  }

  private Slice2d slice(Volume v, int index) {
    int[] hw = Slices.sliceShape(v.grid(), axis);
    return new Slice2d(Slices.slice(v, axis, index), null, hw[0], hw[1]);
  }
}
