package org.medssl.metrics;

import java.util.Arrays;
import org.medssl.MedsslException;
import org.medssl.image.Grid;

/**
 * Per-label confusion counts and bounding boxes of pred ∪ ref, gathered in one pass over a pair of
 * label maps so that each class afterwards only touches its own box.
 */
final class LabelTally {
  private final long voxels;
  private final long[] tp;
  private final long[] fp;
  private final long[] fn;
  private final int[][] lo; // [label][axis], inclusive
  private final int[][] hi;

  private LabelTally(long voxels, int classes) {
    this.voxels = voxels;
    tp = new long[classes + 1];
    fp = new long[classes + 1];
    fn = new long[classes + 1];
    lo = new int[classes + 1][3];
    hi = new int[classes + 1][3];
    for (int c = 0; c <= classes; c++) {
      Arrays.fill(lo[c], Integer.MAX_VALUE);
      Arrays.fill(hi[c], -1);
    }
  }

  /** Counts labels 0..classes; any other label value is a user error. */
  static LabelTally count(int[] pred, int[] ref, Grid grid, int classes) {
    LabelTally t = new LabelTally(pred.length, classes);
    int i = 0;
    for (int z = 0; z < grid.nz(); z++) {
      for (int y = 0; y < grid.ny(); y++) {
        for (int x = 0; x < grid.nx(); x++, i++) {
          int p = checked(pred[i], classes, "prediction");
          int r = checked(ref[i], classes, "reference");
          if (p == r) {
            t.tp[p]++;
          } else {
            t.fp[p]++;
            t.fn[r]++;
            t.extend(r, x, y, z);
          }
          t.extend(p, x, y, z);
        }
      }
    }
    return t;
  }

  private static int checked(int label, int classes, String which) {
    if (label < 0 || label > classes) {
      throw new MedsslException(which + " contains label " + label + " but only labels 0.."
          + classes + " are defined (" + classes + " named classes plus background)");
    }
    return label;
  }

  private void extend(int label, int x, int y, int z) {
    int[] l = lo[label];
    int[] h = hi[label];
    l[0] = Math.min(l[0], x);
    l[1] = Math.min(l[1], y);
    l[2] = Math.min(l[2], z);
    h[0] = Math.max(h[0], x);
    h[1] = Math.max(h[1], y);
    h[2] = Math.max(h[2], z);
  }

  Confusion confusion(int label) {
    long tn = voxels - tp[label] - fp[label] - fn[label];
    return new Confusion(tp[label], fp[label], fn[label], tn);
  }

  /** Bounding box of pred ∪ ref for {@code label}; only valid when the label occurs. */
  Box box(int label) {
    return new Box(lo[label][0], lo[label][1], lo[label][2], hi[label][0], hi[label][1], hi[label][2]);
  }
}
