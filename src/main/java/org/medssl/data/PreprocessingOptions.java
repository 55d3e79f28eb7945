package org.medssl.data;

import java.util.Arrays;
import org.medssl.MedsslException;

/**
 * What a user may ask of preprocessing ({@code --spacing}, {@code --ct-window},
 * {@code --replace-nonfinite}); everything else follows from the dataset's modality
 * ({@link Preprocessing#forModality}).
 *
 * @param spacingMm target spacing per canonical axis in mm (0 = the scan's own), or null
 * @param ctWindow {lo, hi} in HU to normalise as CT with this window, or null
 * @param replaceNonFinite read NaN/Inf voxels as the lowest intensity instead of refusing the scan
 */
public record PreprocessingOptions(double[] spacingMm, double[] ctWindow, boolean replaceNonFinite) {
  public static final PreprocessingOptions AUTO = new PreprocessingOptions(null, null);

  public PreprocessingOptions {
    spacingMm = spacingMm == null ? null : spacingMm.clone();
    ctWindow = ctWindow == null ? null : ctWindow.clone();
  }

  public PreprocessingOptions(double[] spacingMm, double[] ctWindow) {
    this(spacingMm, ctWindow, false);
  }

  public PreprocessingOptions withReplaceNonFinite(boolean value) {
    return new PreprocessingOptions(spacingMm, ctWindow, value);
  }

  /** Parses {@code --spacing} ("0.8,0.8" in-plane for 2D, or "x,y,z") and {@code --ct-window} ("-1024,325"). */
  public static PreprocessingOptions parse(String spacing, String window) {
    double[] s = spacing == null ? null : numbers("--spacing", spacing);
    if (s != null && s.length == 2) {
      s = new double[] {s[0], s[1], 0};
    }
    if (s != null && (s.length != 3 || Arrays.stream(s).anyMatch(v -> !(v >= 0 && v < 1000)))) {
      throw new MedsslException("--spacing: expected 2 (in-plane) or 3 values in mm, got '" + spacing + "'");
    }
    double[] w = window == null ? null : numbers("--ct-window", window);
    if (w != null && (w.length != 2 || !(w[0] < w[1]))) {
      throw new MedsslException("--ct-window: expected low,high in HU with low < high, got '" + window + "'");
    }
    return new PreprocessingOptions(s, w);
  }

  /** The preprocessing for a 2D network on a dataset of this modality with these options applied. */
  public Preprocessing resolve(String modality) {
    return resolve(modality, false);
  }

  /** As {@link #resolve(String)}; {@code volumetric} for 3D networks, which resample along every axis. */
  public Preprocessing resolve(String modality, boolean volumetric) {
    Preprocessing p = Preprocessing.forModality(modality);
    p = volumetric ? p.forVolumes() : p;
    if (ctWindow != null) {
      p = p.withWindow(ctWindow[0], ctWindow[1]);
    }
    return spacingMm == null ? p : p.withSpacing(spacingMm);
  }

  private static double[] numbers(String option, String text) {
    try {
      return Arrays.stream(text.split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
    } catch (NumberFormatException e) {
      throw new MedsslException(option + ": expected comma-separated numbers, got '" + text + "'");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PreprocessingOptions p && Arrays.equals(spacingMm, p.spacingMm)
        && Arrays.equals(ctWindow, p.ctWindow) && replaceNonFinite == p.replaceNonFinite;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(spacingMm) + Arrays.hashCode(ctWindow)) + Boolean.hashCode(replaceNonFinite);
  }

  /** Part of study fingerprints: the flag appears only when set, so earlier studies keep theirs. */
  @Override
  public String toString() {
    return "spacing=" + (spacingMm == null ? "own" : Arrays.toString(spacingMm)) + ", ctWindow="
        + (ctWindow == null ? "auto" : Arrays.toString(ctWindow)) + (replaceNonFinite ? ", nonFinite=replace" : "");
  }
}
