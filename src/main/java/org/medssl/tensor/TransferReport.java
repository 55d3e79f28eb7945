package org.medssl.tensor;

import java.util.List;

/**
 * What a weight transfer did: names loaded from the source, names of the target left at their
 * fresh initialisation, and source names the target has no use for (e.g. projector heads).
 */
public record TransferReport(List<String> loaded, List<String> fresh, List<String> unused) {
  public TransferReport {
    loaded = List.copyOf(loaded);
    fresh = List.copyOf(fresh);
    unused = List.copyOf(unused);
  }
}
