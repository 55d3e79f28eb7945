package org.medssl.data;

import java.util.Arrays;
import org.medssl.MedsslException;

/**
 * The size of a 3D patch in tensor order: depth (z, slices), height (y), width (x). Training
 * samples patches of this size and sliding-window inference slides a window of it, so a model
 * records it.
 */
public record PatchSize(int depth, int height, int width) {
  /**
   * The default for the built-in phantoms (96 x 96 x 32 voxels of 1.5 x 1.5 x 3 mm): the whole
   * depth and two thirds of the plane, about 96 mm along every axis, divisible by the
   * downsampling factor of U-Nets with up to six stages.
   */
  public static final PatchSize DEFAULT_3D = new PatchSize(32, 64, 64);
  /** Bounds that keep a corrupt model file from asking for an absurd window. */
  public static final int MAX_SIDE = 512;
  public static final long MAX_VOXELS = 1L << 24;

  public PatchSize {
    if (depth < 1 || height < 1 || width < 1 || depth > MAX_SIDE || height > MAX_SIDE || width > MAX_SIDE) {
      throw new IllegalArgumentException("patch sides must be in 1.." + MAX_SIDE + ", got " + depth + "," + height + ","
          + width);
    }
    if ((long) depth * height * width > MAX_VOXELS) {
      throw new IllegalArgumentException("patch " + depth + "," + height + "," + width + " has more than " + MAX_VOXELS
          + " voxels");
    }
  }

  /** Parses {@code D,H,W} given to {@code option}; anything else is a one-line user error. */
  public static PatchSize parse(String option, String text) {
    int[] v;
    try {
      v = Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    } catch (NumberFormatException e) {
      v = new int[0];
    }
    if (v.length != 3) {
      throw new MedsslException(option + ": expected D,H,W (three integers, slices first), got '" + text + "'");
    }
    try {
      return new PatchSize(v[0], v[1], v[2]);
    } catch (IllegalArgumentException e) {
      throw new MedsslException(option + " " + text + ": " + e.getMessage(), e);
    }
  }

  /**
   * The patch a study or pretraining config lists as {@code [d, h, w]}; null for an empty list
   * (2D: whole slices).
   */
  public static PatchSize ofList(java.util.List<Integer> sides) {
    if (sides.isEmpty()) {
      return null;
    }
    if (sides.size() != 3) {
      throw new IllegalArgumentException("a patch needs 3 sizes (d, h, w), got " + sides);
    }
    return new PatchSize(sides.get(0), sides.get(1), sides.get(2));
  }

  /** {@code {depth, height, width}}. */
  public int[] toArray() {
    return new int[] {depth, height, width};
  }

  public int voxels() {
    return depth * height * width;
  }

  public boolean divisibleBy(int factor) {
    return depth % factor == 0 && height % factor == 0 && width % factor == 0;
  }

  /**
   * This patch if every side is a multiple of the network's downsampling factor (else the
   * encoder's pooling would drop voxels and the decoder could not restore the size); otherwise a
   * user error naming {@code source}.
   */
  public PatchSize requireDivisibleBy(int factor, String source) {
    if (!divisibleBy(factor)) {
      throw new MedsslException(source + " " + this + ": every side must be a multiple of " + factor
          + ", the network's downsampling factor (e.g. " + roundedUp(factor) + ")");
    }
    return this;
  }

  private String roundedUp(int factor) {
    return Arrays.stream(toArray()).map(v -> (v + factor - 1) / factor * factor)
        .mapToObj(String::valueOf).collect(java.util.stream.Collectors.joining(","));
  }

  /** {@code D,H,W}, as {@code --patch} takes it. */
  @Override
  public String toString() {
    return depth + "," + height + "," + width;
  }
}
