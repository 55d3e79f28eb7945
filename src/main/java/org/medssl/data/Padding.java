package org.medssl.data;

/**
 * Centred padding of 3D arrays in tensor order {d, h, w} (row-major, w fastest), so that a volume
 * smaller than a patch can be trained on and predicted: the extra voxel of an odd difference goes
 * to the far side, as {@code image.CropPad} does in 2D, so {@link #offsets} tells where the volume
 * sits and cropping back is exact.
 */
public final class Padding {
  private Padding() {}

  /** Per axis, the larger of {@code size} and {@code minimum}. */
  public static int[] atLeast(int[] size, int[] minimum) {
    int[] out = new int[size.length];
    for (int a = 0; a < size.length; a++) {
      out[a] = Math.max(size[a], minimum[a]);
    }
    return out;
  }

  /** Where the volume starts inside its padded version, per axis. */
  public static int[] offsets(int[] size, int[] padded) {
    int[] out = new int[size.length];
    for (int a = 0; a < size.length; a++) {
      out[a] = (padded[a] - size[a]) / 2;
    }
    return out;
  }

  /** {@code src} of {@code size} placed in the centre of a {@code padded} array filled with {@code fill}. */
  public static float[] centred(float[] src, int[] size, int[] padded, float fill) {
    float[] out = new float[padded[0] * padded[1] * padded[2]];
    java.util.Arrays.fill(out, fill);
    copyRows(src, size, out, padded);
    return out;
  }

  /** Labels placed in the centre of a {@code padded} array of background (0). */
  public static int[] centred(int[] src, int[] size, int[] padded) {
    int[] out = new int[padded[0] * padded[1] * padded[2]];
    copyRows(src, size, out, padded);
    return out;
  }

  /** Copies every x-row of {@code src} into the centre of {@code out} (float[] or int[] alike). */
  private static void copyRows(Object src, int[] size, Object out, int[] padded) {
    int[] o = offsets(size, padded);
    for (int z = 0; z < size[0]; z++) {
      for (int y = 0; y < size[1]; y++) {
        System.arraycopy(src, (z * size[1] + y) * size[2], out, ((z + o[0]) * padded[1] + y + o[1]) * padded[2] + o[2],
            size[2]);
      }
    }
  }

  /** The smallest finite value (what the background of a normalised scan is), or 0 if there is none. */
  public static float minimum(float[] values) {
    float m = Float.POSITIVE_INFINITY;
    for (float v : values) {
      if (v < m && Float.isFinite(v)) {
        m = v;
      }
    }
    return Float.isFinite(m) ? m : 0;
  }
}
