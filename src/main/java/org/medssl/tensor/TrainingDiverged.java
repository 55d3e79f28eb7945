package org.medssl.tensor;

import org.medssl.MedsslException;

/**
 * A run whose loss became NaN/Inf or exploded. A user error like any other for a single command;
 * a study records it as a failed cell and goes on with the others.
 */
public final class TrainingDiverged extends MedsslException {
  public TrainingDiverged(String message) {
    super(message);
  }
}
