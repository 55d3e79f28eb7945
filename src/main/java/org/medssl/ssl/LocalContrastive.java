package org.medssl.ssl;

import java.util.List;
import org.medssl.tensor.Tensor;

/**
 * Chaitanya et al.'s local contrastive loss on dense feature maps of two views with the same
 * geometry: each map is average-pooled over 3x3 regions at a {@code grid x grid} lattice of
 * positions; the region at one position in view 1 and the same position in view 2 form a
 * positive pair, and every other region of that image (in both views) is a negative.
 */
public final class LocalContrastive {
  private LocalContrastive() {}

  /** Flat indices (into the 3x3-pooled map of {@code h-2 x w-2}) of the lattice positions. */
  public static long[] positions(int h, int w, int grid) {
    int ph = h - 2;
    int pw = w - 2;
    int gy = Math.min(grid, ph);
    int gx = Math.min(grid, pw);
    long[] out = new long[gy * gx];
    int k = 0;
    for (int i = 0; i < gy; i++) {
      int y = gy == 1 ? ph / 2 : (int) Math.round(i * (ph - 1) / (double) (gy - 1));
      for (int j = 0; j < gx; j++) {
        int x = gx == 1 ? pw / 2 : (int) Math.round(j * (pw - 1) / (double) (gx - 1));
        out[k++] = (long) y * pw + x;
      }
    }
    return out;
  }

  /** Region embeddings {@code (N, K, C)}, L2-normalised along C. */
  public static Tensor regions(Tensor features, long[] positions) {
    long n = features.size(0);
    long c = features.size(1);
    Tensor pooled = features.toFloat().avgPool(3, 1);
    Tensor flat = pooled.reshape(n, c, pooled.size(2) * pooled.size(3));
    return flat.indexSelect(2, positions).transpose(1, 2).normalize(2);
  }

  public static Tensor loss(Tensor features1, Tensor features2, int grid, double temperature) {
    long[] pos = positions((int) features1.size(2), (int) features1.size(3), grid);
    int k = pos.length;
    long n = features1.size(0);
    Tensor z = Tensor.cat(List.of(regions(features1, pos), regions(features2, pos)), 1);
    Tensor logits = z.matmul(z.transpose(1, 2)).mul(1 / temperature).sub(Tensor.eye(2L * k).mul(1e9));
    long[] targets = new long[(int) n * 2 * k];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < k; i++) {
        targets[b * 2 * k + i] = i + k;
        targets[b * 2 * k + i + k] = i;
      }
    }
    return logits.reshape(n * 2 * k, 2L * k).crossEntropy(Tensor.ofLongs(targets, n * 2 * k));
  }
}
