package org.medssl.data;

import java.util.Arrays;
import java.util.Locale;
import org.medssl.image.CanonicalGrid;
import org.medssl.image.Grid;
import org.medssl.image.Intensity;
import org.medssl.image.LabelMap;
import org.medssl.image.Resampling;
import org.medssl.image.Volume;

/**
 * How scans are prepared for the network, stored in the model file so {@code predict} applies
 * exactly the same steps and maps its mask back onto the scan's own grid:
 *
 * <ol>
 *   <li>reorientation to the closest canonical (RAS) axes, and resampling to a target spacing
 *       (linear for images, nearest for labels; for 2D work in-plane only: the slice axis keeps
 *       its spacing);
 *   <li>intensity normalisation: MR ({@value #CLIP_ZSCORE}: clip to the {@code low}-{@code high}
 *       percentiles, then z-score) or CT ({@value #WINDOW_ZSCORE}: clip to the window
 *       {@code low}-{@code high} HU, then z-score), or none ({@value #NONE}: for data normalised
 *       beforehand as a whole, nnU-Net's {@code noNorm} channel, where per-file statistics would
 *       differ between the pieces of one scan);
 *   <li>2D slices along {@code sliceAxis} (padding to the network's size happens when slicing).
 * </ol>
 *
 * @param spacingMm target spacing per canonical axis; 0 keeps the scan's own
 * @param canonical reorient to RAS (models written before this existed did not)
 * @param volumetric for 3D networks: every axis is resampled to {@code spacingMm}; otherwise (2D)
 *     the slice axis keeps the scan's slices
 */
public record Preprocessing(String normalization, double low, double high, boolean canonical, double[] spacingMm,
    int sliceAxis, boolean volumetric) {

  public static final String CLIP_ZSCORE = "clip-zscore";
  public static final String WINDOW_ZSCORE = "window-zscore";
  public static final String NONE = "none";
  /** The channel name that asks for no normalisation, as in nnU-Net's dataset.json. */
  public static final String NO_NORM_CHANNEL = "noNorm";
  /** PGL's abdominal CT window. */
  public static final double[] CT_WINDOW = {-1024, 325};

  public Preprocessing {
    if (CLIP_ZSCORE.equals(normalization)) {
      if (!(low >= 0 && low < high && high <= 100)) {
        throw new IllegalArgumentException("clip percentiles must satisfy 0 <= low < high <= 100, got " + low + ", "
            + high);
      }
    } else if (WINDOW_ZSCORE.equals(normalization)) {
      if (!(low < high) || !Double.isFinite(low) || !Double.isFinite(high)) {
        throw new IllegalArgumentException("a CT window needs low < high, got " + low + ", " + high);
      }
    } else if (!NONE.equals(normalization)) {
      throw new IllegalArgumentException("unknown normalisation " + normalization);
    }
    if (sliceAxis < 0 || sliceAxis > 2) {
      throw new IllegalArgumentException("slice axis must be 0, 1 or 2");
    }
    spacingMm = spacingMm == null ? new double[3] : spacingMm.clone();
    if (spacingMm.length != 3 || Arrays.stream(spacingMm).anyMatch(s -> !(s >= 0 && s < 1000))) {
      throw new IllegalArgumentException("spacing needs 3 values in mm (0 = keep), got " + Arrays.toString(spacingMm));
    }
    if (!volumetric) {
      spacingMm[sliceAxis] = 0; // 2D: resample in-plane only, the slices stay the scan's slices
    }
  }

  /** A 2D preprocessing (the slice axis keeps its spacing). */
  public Preprocessing(String normalization, double low, double high, boolean canonical, double[] spacingMm,
      int sliceAxis) {
    this(normalization, low, high, canonical, spacingMm, sliceAxis, false);
  }

  /** The same for a 3D network: a spacing given afterwards applies along the slice axis too. */
  public Preprocessing forVolumes() {
    return new Preprocessing(normalization, low, high, canonical, spacingMm, sliceAxis, true);
  }

  /** The format of models trained before reorientation and resampling existed. */
  public static Preprocessing legacy(double lowPercentile, double highPercentile, int sliceAxis) {
    return new Preprocessing(CLIP_ZSCORE, lowPercentile, highPercentile, false, null, sliceAxis);
  }

  /** MR: canonical axes, own spacing, clip 0.5-99.5 percentiles, z-score, axial slices. */
  public static Preprocessing mrDefault() {
    return new Preprocessing(CLIP_ZSCORE, 0.5, 99.5, true, null, 2);
  }

  /**
   * The default for a dataset's modality: a CT window for "CT", none for "noNorm" (nnU-Net's name
   * for data normalised beforehand), the MR normalisation otherwise.
   */
  public static Preprocessing forModality(String modality) {
    if (NO_NORM_CHANNEL.equalsIgnoreCase(modality)) {
      return new Preprocessing(NONE, 0, 0, true, null, 2);
    }
    return modality.toUpperCase(Locale.ROOT).startsWith("CT")
        ? new Preprocessing(WINDOW_ZSCORE, CT_WINDOW[0], CT_WINDOW[1], true, null, 2) : mrDefault();
  }

  public Preprocessing withSpacing(double[] mm) {
    return new Preprocessing(normalization, low, high, canonical, mm, sliceAxis, volumetric);
  }

  public Preprocessing withWindow(double lo, double hi) {
    return new Preprocessing(WINDOW_ZSCORE, lo, hi, canonical, spacingMm, sliceAxis, volumetric);
  }

  @Override
  public double[] spacingMm() {
    return spacingMm.clone();
  }

  /** The grid a scan on {@code raw} is trained and predicted on. */
  public Grid targetGrid(Grid raw) {
    boolean resample = Arrays.stream(spacingMm).anyMatch(s -> s > 0);
    if (!canonical && !resample) {
      return raw;
    }
    Grid target = CanonicalGrid.of(raw, spacingMm);
    return target.sameGeometry(raw) ? raw : target;
  }

  /**
   * The image on the target grid, normalised. NaN/Inf voxels and voxels outside the scan read as
   * the low clip (as 0, the mean of data normalised beforehand, under {@value #NONE}).
   */
  public Volume apply(Volume raw) {
    Grid target = targetGrid(raw.grid());
    Volume v = target == raw.grid() ? raw : Resampling.linear(raw, target, Float.NaN);
    return switch (normalization) {
      case CLIP_ZSCORE -> Intensity.clipZScore(v, low, high);
      case WINDOW_ZSCORE -> Intensity.windowZScore(v, low, high);
      default -> Intensity.finiteOrZero(v);
    };
  }

  /** Labels on the target grid of their scan (nearest neighbour). */
  public LabelMap apply(LabelMap raw) {
    Grid target = targetGrid(raw.grid());
    return target == raw.grid() ? raw : Resampling.nearest(raw, target);
  }

  /** A prediction on the target grid brought back onto the scan's own grid (nearest neighbour). */
  public LabelMap restore(LabelMap predicted, Grid original) {
    return predicted.grid().sameGeometry(original) ? new LabelMap(original, predicted.labels())
        : Resampling.nearest(predicted, original);
  }

  /** One line for logs and provenance. */
  public String describe() {
    String spacing = Arrays.stream(spacingMm).allMatch(s -> s == 0) ? "own spacing"
        : "spacing " + Arrays.toString(spacingMm) + " mm (0 = own)";
    String intensity = NONE.equals(normalization) ? "no normalisation (normalised beforehand)"
        : String.format(Locale.ROOT, "%s [%s, %s]", normalization, num(low), num(high));
    return String.format(Locale.ROOT, "%s, %s, %s, slices along axis %d", intensity,
        canonical ? "canonical RAS axes" : "scan axes", spacing, sliceAxis);
  }

  private static String num(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Preprocessing p && normalization.equals(p.normalization) && low == p.low && high == p.high
        && canonical == p.canonical && Arrays.equals(spacingMm, p.spacingMm) && sliceAxis == p.sliceAxis
        && volumetric == p.volumetric;
  }

  @Override
  public int hashCode() {
    return describe().hashCode();
  }

  @Override
  public String toString() {
    return describe();
  }
}
