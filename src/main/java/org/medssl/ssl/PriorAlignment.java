package org.medssl.ssl;

import java.util.ArrayList;
import java.util.List;
import org.medssl.augment.CropBox;
import org.medssl.augment.ViewGeometry;
import org.medssl.tensor.Tensor;

/**
 * PGL's prior-guided aligner (Xie et al. 2021, sec. 3.3): feature maps of two views of the same
 * images are brought onto the region both views show, using the views' recorded geometry as the
 * prior, so that voxel i of one aligned map and voxel i of the other describe the same place of
 * the source image.
 *
 * <p><b>FlipAlign</b> reverses, per sample, the feature axes along which that sample's view was
 * flipped: a flip of the input is (up to the network's own asymmetries) a flip of its features,
 * so afterwards feature index k along an axis grows with the source coordinate, as in the
 * unflipped crop.
 *
 * <p><b>CSAlign</b> maps the intersection of the two crop boxes into each view's feature
 * coordinates and resamples it to the feature map size. A view of crop {@code [o, o + s)}
 * (voxel-edge coordinates of the source, per axis) resized to {@code O} input voxels puts source
 * coordinate X at input coordinate {@code (X - o) O / s}; the encoder's stride is {@code O / F}
 * for a feature map of F voxels, so X is at feature coordinate {@code (X - o) F / s}. These are
 * coordinates of the <em>unflipped</em> view: CSAlign therefore runs after FlipAlign (on a map
 * still flipped the same box would cut the mirror-image region). The region {@code [a, b)} is cut
 * out with RoIAlign: S bins per axis, each sampled by linear interpolation at its centre
 * {@code a + (k + 1/2)(b - a)/S} (feature index coordinate minus 1/2, i.e. half-pixel centres),
 * through {@link Tensor#gridSample}, which keeps gradients flowing into the features.
 *
 * <p>With {@code cropAlign} off the whole maps are compared as they are (after FlipAlign if that
 * is on); with both off, nothing is aligned: the paper's ablation, which did worse than random
 * initialisation.
 */
public record PriorAlignment(boolean flipAlign, boolean cropAlign) {

  /** Both steps, as PGL trains. */
  public static PriorAlignment both() {
    return new PriorAlignment(true, true);
  }

  /** Two feature maps of equal shape whose voxels correspond. */
  public record Aligned(Tensor first, Tensor second) {}

  /** The shared region as seen in one view's unflipped feature map, in feature voxel-edge coordinates. */
  public record Region(double[] start, double[] end) {}

  /**
   * Aligns {@code first} {@code (N, C, spatial...)} of the views {@code firstViews} (one geometry
   * per sample) with {@code second} of {@code secondViews}; both maps come out in fp32, of the
   * feature maps' spatial size.
   */
  public Aligned align(Tensor first, List<ViewGeometry> firstViews, Tensor second, List<ViewGeometry> secondViews) {
    checkShapes(first, firstViews, second, secondViews);
    Tensor a = first.toFloat();
    Tensor b = second.toFloat();
    if (flipAlign) {
      a = undoFlips(a, firstViews);
      b = undoFlips(b, secondViews);
    }
    if (!cropAlign) {
      return new Aligned(a, b);
    }
    long[] size = spatialSize(a);
    List<Region> inFirst = new ArrayList<>();
    List<Region> inSecond = new ArrayList<>();
    for (int i = 0; i < firstViews.size(); i++) {
      inFirst.add(overlapInFeatures(firstViews.get(i), secondViews.get(i), size));
      inSecond.add(overlapInFeatures(secondViews.get(i), firstViews.get(i), size));
    }
    return new Aligned(roiAlign(a, inFirst, size), roiAlign(b, inSecond, size));
  }

  /** FlipAlign: each sample's feature map flipped back along the axes its view was flipped on. */
  static Tensor undoFlips(Tensor features, List<ViewGeometry> views) {
    if (views.stream().noneMatch(PriorAlignment::flipped)) {
      return features;
    }
    List<Tensor> samples = new ArrayList<>();
    for (int i = 0; i < views.size(); i++) {
      Tensor sample = features.narrow(0, i, 1);
      long[] axes = flippedAxes(views.get(i));
      samples.add(axes.length == 0 ? sample : sample.flip(axes));
    }
    return Tensor.cat(samples, 0);
  }

  private static boolean flipped(ViewGeometry g) {
    for (boolean f : g.flips()) {
      if (f) {
        return true;
      }
    }
    return false;
  }

  /** Tensor dimensions (2 = first spatial axis) that the view flipped. */
  private static long[] flippedAxes(ViewGeometry g) {
    boolean[] flips = g.flips();
    List<Long> axes = new ArrayList<>();
    for (int a = 0; a < flips.length; a++) {
      if (flips[a]) {
        axes.add(2L + a);
      }
    }
    return axes.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * The intersection of the two crops in {@code view}'s unflipped feature coordinates, for a
   * feature map of {@code featureSize} voxels (the paper's eq. 5 and 6).
   */
  static Region overlapInFeatures(ViewGeometry view, ViewGeometry other, long[] featureSize) {
    CropBox mine = CropBox.of(view);
    CropBox theirs = CropBox.of(other);
    int d = mine.dims();
    double[] start = new double[d];
    double[] end = new double[d];
    for (int a = 0; a < d; a++) {
      double lo = Math.max(mine.start(a), theirs.start(a));
      double hi = Math.min(mine.end(a), theirs.end(a));
      if (!(hi > lo)) {
        throw new IllegalArgumentException("the two views do not overlap on axis " + a + ": " + view + ", " + other);
      }
      double toInput = view.outSize()[a] / mine.size()[a];
      double stride = view.outSize()[a] / (double) featureSize[a];
      start[a] = (lo - mine.start(a)) * toInput / stride;
      end[a] = (hi - mine.start(a)) * toInput / stride;
    }
    return new Region(start, end);
  }

  /**
   * RoIAlign with one sample per bin: region i of sample i resampled to {@code size} bins, each
   * read at its centre by linear interpolation.
   */
  static Tensor roiAlign(Tensor features, List<Region> regions, long[] size) {
    long[] fsize = spatialSize(features);
    int d = size.length;
    int bins = 1;
    for (long s : size) {
      bins *= (int) s;
    }
    float[] grid = new float[regions.size() * bins * d];
    int p = 0;
    for (Region r : regions) {
      int[] k = new int[d];
      for (int bin = 0; bin < bins; bin++) {
        for (int a = d - 1; a >= 0; a--) { // grid coordinates run x (last axis) first
          double u = r.start()[a] + (k[a] + 0.5) * (r.end()[a] - r.start()[a]) / size[a];
          grid[p++] = (float) (2 * u / fsize[a] - 1);
        }
        next(k, size);
      }
    }
    long[] shape = new long[d + 2];
    shape[0] = regions.size();
    System.arraycopy(size, 0, shape, 1, d);
    shape[d + 1] = d;
    return features.gridSample(Tensor.of(grid, shape));
  }

  /** Advances a row-major multi-index (last axis fastest). */
  private static void next(int[] k, long[] size) {
    for (int a = k.length - 1; a >= 0; a--) {
      if (++k[a] < size[a]) {
        return;
      }
      k[a] = 0;
    }
  }

  static long[] spatialSize(Tensor t) {
    long[] shape = t.shape();
    long[] out = new long[shape.length - 2];
    System.arraycopy(shape, 2, out, 0, out.length);
    return out;
  }

  private static void checkShapes(Tensor first, List<ViewGeometry> firstViews, Tensor second,
      List<ViewGeometry> secondViews) {
    if (!java.util.Arrays.equals(first.shape(), second.shape())) {
      throw new IllegalArgumentException("feature maps of different shapes: " + first + ", " + second);
    }
    if (firstViews.size() != first.size(0) || secondViews.size() != second.size(0)) {
      throw new IllegalArgumentException("one view geometry per sample expected");
    }
    int spatial = first.dim() - 2;
    if (firstViews.stream().anyMatch(g -> g.dims() != spatial) || secondViews.stream().anyMatch(g -> g.dims() != spatial)) {
      throw new IllegalArgumentException("view geometries of " + spatial + " axes expected");
    }
  }
}
