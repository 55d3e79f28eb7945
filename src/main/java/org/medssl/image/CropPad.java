package org.medssl.image;

/**
 * Centred crop or zero-pad of a 2D array to a target size. Offsets follow one convention (extra
 * pixel on the far side) so {@link #restore} exactly undoes {@link #apply}.
 */
public final class CropPad {
  private CropPad() {}

  /** Resizes an {@code h x w} row-major array to {@code th x tw}, filling new pixels with {@code fill}. */
  public static float[] apply(float[] src, int h, int w, int th, int tw, float fill) {
    float[] out = new float[th * tw];
    java.util.Arrays.fill(out, fill);
    copy(h, w, th, tw, (srcIdx, dstIdx) -> out[dstIdx] = src[srcIdx]);
    return out;
  }

  public static int[] apply(int[] src, int h, int w, int th, int tw) {
    int[] out = new int[th * tw];
    copy(h, w, th, tw, (srcIdx, dstIdx) -> out[dstIdx] = src[srcIdx]);
    return out;
  }

  /** Inverse of {@link #apply}: brings a {@code th x tw} array back to {@code h x w}. */
  public static int[] restore(int[] resized, int h, int w, int th, int tw) {
    int[] out = new int[h * w];
    copy(h, w, th, tw, (srcIdx, dstIdx) -> out[srcIdx] = resized[dstIdx]);
    return out;
  }

  private interface Mover {
    void move(int srcIndex, int dstIndex);
  }

  private static void copy(int h, int w, int th, int tw, Mover mover) {
    int dy = (th - h) / 2;
    int dx = (tw - w) / 2;
    for (int y = 0; y < h; y++) {
      int ty = y + dy;
      if (ty < 0 || ty >= th) {
        continue;
      }
      for (int x = 0; x < w; x++) {
        int tx = x + dx;
        if (tx >= 0 && tx < tw) {
          mover.move(y * w + x, ty * tw + tx);
        }
      }
    }
  }

  /** Smallest multiple of {@code factor} that is at least {@code n}. */
  public static int roundUp(int n, int factor) {
    return (n + factor - 1) / factor * factor;
  }
}
