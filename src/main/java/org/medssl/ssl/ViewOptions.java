package org.medssl.ssl;

import org.medssl.augment.PglViewRecipe;
import org.medssl.augment.ViewRecipe;
import org.medssl.nn.Dims;

/**
 * The view options methods share: flips and random intensity remaps, applied to its recipes, and
 * where the two views of a 2D pair come from.
 */
public final class ViewOptions {
  /**
   * Chaitanya et al.'s "same partition" positives: in roughly registered scans the same relative
   * position along the slice axis shows the same anatomy in another subject, so a pair from two
   * subjects teaches features that ignore what differs between scans (contrast, gain, body build).
   * Fingerprinted for every method (it was contrastive's before it was shared).
   */
  public static final MethodOption<Boolean> PARTITION_POSITIVES = MethodOption.bool("partitionPositives",
      "--partition-positives", false, "contrastive (global stage) and 2D byol: the two views of a pair are slices"
          + " from the same one of 4 partitions along the slice axis of two different volumes, for registered scans.")
      .alwaysFingerprinted()
      .onlyIn(Dims.TWO, "pairs 2D slices of two volumes; a 3D pretraining takes its views from one volume");

  /** Off by default: flip invariance trains out laterality, which segmentation needs. */
  public static final MethodOption<Boolean> FLIPS = MethodOption.bool("flips", "--flips", false,
      "Flip the pretext views (left/right, and per method up/down or every axis; off by default: flip invariance"
          + " trains out laterality; without flips PGL's FlipAlign is the identity).")
      .fingerprintedUnless(true);

  public static final MethodOption<Double> REMAP = MethodOption.number("remapProbability", "--remap-probability", 0.5,
      "Probability that a view's intensities go through a random non-monotone curve, drawn per view; 0 for none.")
      .validWhen(p -> p >= 0 && p <= 1, "in [0, 1]").fingerprintedUnless("remap", 0.0);

  /** Same-partition pairs are cut into this many parts along the slice axis (Chaitanya et al.'s 4). */
  static final int PARTITIONS = 4;

  private ViewOptions() {}

  /** A slice recipe with the options' flips and intensity remaps. */
  static ViewRecipe views(ViewRecipe recipe, MethodOptions o) {
    return recipe.withFlips(o.get(FLIPS)).withRemap(o.get(REMAP));
  }

  /** A volume recipe with the options' flips and intensity remaps. */
  static PglViewRecipe views(PglViewRecipe recipe, MethodOptions o) {
    return recipe.withFlips(o.get(FLIPS)).withRemap(o.get(REMAP));
  }
}
