package org.medssl.study.plan;

import org.medssl.study.config.PretrainSettings;

/**
 * One pretraining of a study, run once and shared by every cell that fine-tunes from it.
 *
 * @param label its key and file stem: the method label its cells carry ({@code byol}, {@code byol@200}),
 *     followed by {@code ~s<seed>} when the init has several pretraining seeds ({@code byol~s1})
 * @param steps the resolved budget in steps (epochs are resolved against the pool)
 * @param seed the pretraining seed
 * @param parent the label of the pretraining it continues from (the same seed's), or null
 * @param description everything that determines its weights, including its parent's description
 * @param budget the budget as configured and resolved, for logs ({@code 250 steps}, {@code 20 epochs of ...})
 */
public record Pretraining(String label, String method, PretrainSettings settings, int steps, long seed, String parent,
    String description, String budget) {

  public String fingerprint() {
    return Fingerprint.of(description);
  }
}
