package org.medssl.ssl;

import org.medssl.augment.PglViewRecipe;
import org.medssl.augment.ViewRecipe;

/** The view options every method shares: flips and random intensity remaps, applied to its recipes. */
public final class ViewOptions {
  /** Off by default: flip invariance trains out laterality, which segmentation needs. */
  public static final MethodOption<Boolean> FLIPS = MethodOption.bool("flips", "--flips", false,
      "Flip the pretext views (left/right, and per method up/down or every axis; off by default: flip invariance"
          + " trains out laterality; without flips PGL's FlipAlign is the identity).")
      .fingerprintedUnless(true);

  public static final MethodOption<Double> REMAP = MethodOption.number("remapProbability", "--remap-probability", 0.5,
      "Probability that a view's intensities go through a random non-monotone curve, drawn per view; 0 for none.")
      .validWhen(p -> p >= 0 && p <= 1, "in [0, 1]").fingerprintedUnless("remap", 0.0);

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
