package org.medssl.study;

/**
 * One pretraining of a study, run once and shared by every cell that fine-tunes from it.
 *
 * @param label the method label its cells carry ({@code byol}, {@code byol@200})
 * @param parent the label of the pretraining it continues from, or null
 * @param description everything that determines its weights, including its parent's description
 */
public record Pretraining(String label, String method, PretrainSettings settings, int steps, String parent,
    String description) {

  public String fingerprint() {
    return Fingerprint.of(description);
  }
}
