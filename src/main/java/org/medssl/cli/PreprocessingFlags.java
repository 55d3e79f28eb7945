package org.medssl.cli;

import org.medssl.data.PreprocessingOptions;
import picocli.CommandLine.Option;

/** {@code --spacing}, {@code --ct-window} and {@code --replace-nonfinite}, shared by the commands that train. */
final class PreprocessingFlags {
  @Option(names = "--spacing", paramLabel = "MM",
      description = "Resample to this spacing in mm: 'x,y' in-plane (2D) or 'x,y,z' along R,A,S; 0 keeps the scan's.")
  String spacing;

  @Option(names = "--ct-window", paramLabel = "LO,HI",
      description = "Normalise as CT: clip to this HU window, then z-score (default for CT datasets: -1024,325).")
  String ctWindow;

  @Option(names = "--replace-nonfinite", description = "Read NaN/Inf voxels as the lowest intensity and count them,"
      + " instead of stopping at the first scan that has them.")
  boolean replaceNonFinite;

  PreprocessingOptions options() {
    return PreprocessingOptions.parse(spacing, ctWindow).withReplaceNonFinite(replaceNonFinite);
  }
}
