package org.medssl.study.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The paired comparisons with random init that a study reports.
 *
 * @param overall each method × budget on the mean over foreground classes
 * @param sameRate with learning-rate tuning, the same at the configured rate for every arm (else empty)
 * @param perClass class → the comparison on that class alone
 */
record Comparisons(List<PairedDifference> overall, List<PairedDifference> sameRate,
    Map<String, List<PairedDifference>> perClass) {
  Comparisons {
    overall = List.copyOf(overall);
    sameRate = List.copyOf(sameRate);
    perClass = Collections.unmodifiableMap(new LinkedHashMap<>(perClass)); // keeps the classes' order
  }
}
