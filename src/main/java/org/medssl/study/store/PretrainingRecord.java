package org.medssl.study.store;

import java.util.List;

/**
 * A finished pretraining, stored beside its model file as {@code pretrained/<label>.json}.
 *
 * @param file the model file, relative to the study directory
 */
public record PretrainingRecord(String label, String method, int steps, int batch, long seed, String from,
    double seconds, double finalLoss, List<String> warnings, int images, String file, String fingerprint,
    String description, String medsslVersion) {

  public PretrainingRecord {
    warnings = List.copyOf(warnings);
  }
}
