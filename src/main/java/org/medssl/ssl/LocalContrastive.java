package org.medssl.ssl;

import java.util.List;
import org.medssl.augment.ViewGeometry;
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
    return pairLoss(regions(features1, pos), regions(features2, pos), temperature);
  }

  /**
   * The loss for views with different geometries: for each sample, a lattice of up to
   * {@code grid x grid} points spread over the source region both views show (kept 1.5 feature
   * pixels inside it, spaced at least one feature pixel apart in either view, so no two regions
   * coincide), each point's 3x3 region in view 1 paired with the region at the same source point
   * in view 2. Features are at {@code 1/stride} of the views' resolution. Mean over samples.
   */
  public static Tensor loss(Tensor features1, Tensor features2, List<ViewGeometry> g1, List<ViewGeometry> g2,
      int stride, int grid, double temperature) {
    long n = features1.size(0);
    int h = (int) features1.size(2);
    int w = (int) features1.size(3);
    Tensor total = null;
    for (int i = 0; i < n; i++) {
      long[][] pos = matchedPositions(g1.get(i), g2.get(i), stride, h, w, grid);
      Tensor li = pairLoss(regions(features1.narrow(0, i, 1), pos[0]), regions(features2.narrow(0, i, 1), pos[1]),
          temperature);
      total = total == null ? li : total.add(li);
    }
    return total.mul(1.0 / n);
  }

  /**
   * Flat indices into each view's 3x3-pooled map ({@code h-2 x w-2} of a feature map {@code h x w}
   * at {@code 1/stride} resolution) of corresponding lattice points: [view 1 indices, view 2 indices].
   */
  public static long[][] matchedPositions(ViewGeometry a, ViewGeometry b, int stride, int h, int w, int grid) {
    int[] feature = {h, w};
    double[][] lattice = new double[2][];
    for (int axis = 0; axis < 2; axis++) {
      double lo = Math.max(a.origin()[axis], b.origin()[axis]);
      double hi = Math.min(a.origin()[axis] + a.size()[axis], b.origin()[axis] + b.size()[axis]);
      // Source length of one feature pixel in each view; the coarser one sets margin and spacing.
      double pixel = Math.max(a.size()[axis] / a.outSize()[axis], b.size()[axis] / b.outSize()[axis]) * stride;
      double from = lo + 1.5 * pixel;
      double to = hi - 1.5 * pixel;
      int k = to > from ? Math.max(1, Math.min(grid, (int) Math.floor((to - from) / pixel) + 1)) : 1;
      lattice[axis] = new double[k];
      for (int j = 0; j < k; j++) {
        lattice[axis][j] = to > from ? (k == 1 ? (from + to) / 2 : from + j * (to - from) / (k - 1)) : (lo + hi) / 2;
      }
    }
    int k = lattice[0].length * lattice[1].length;
    long[][] out = new long[2][k];
    ViewGeometry[] views = {a, b};
    for (int v = 0; v < 2; v++) {
      int m = 0;
      for (double sy : lattice[0]) {
        for (double sx : lattice[1]) {
          int py = pooledIndex(views[v], 0, sy, stride, feature[0]);
          int px = pooledIndex(views[v], 1, sx, stride, feature[1]);
          out[v][m++] = (long) py * (feature[1] - 2) + px;
        }
      }
    }
    return out;
  }

  /** The 3x3-pooled position whose centre is nearest to source coordinate {@code s} on {@code axis}. */
  private static int pooledIndex(ViewGeometry g, int axis, double s, int stride, int featureSize) {
    int out = g.outSize()[axis];
    double f = (s + 0.5 - g.origin()[axis]) * out / g.size()[axis] - 0.5; // pixel-centre coordinates
    if (g.flips()[axis]) {
      f = out - 1 - f;
    }
    double q = (f + 0.5) / stride - 0.5;
    return Math.max(0, Math.min(featureSize - 3, (int) Math.round(q) - 1));
  }

  /** Chaitanya's loss on matched region embeddings {@code (N, K, C)} of two views. */
  static Tensor pairLoss(Tensor z1, Tensor z2, double temperature) {
    int k = (int) z1.size(1);
    long n = z1.size(0);
    Tensor z = Tensor.cat(List.of(z1, z2), 1);
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
