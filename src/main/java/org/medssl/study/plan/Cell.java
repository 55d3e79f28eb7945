package org.medssl.study.plan;

import org.medssl.study.config.InitSpec;

/**
 * One fine-tuning run of a study: an initialisation (method label) × labeled subjects × seed.
 *
 * @param method an init label ({@code random}, {@code byol}, {@code byol@200}) or {@link InitSpec#REFERENCE}
 */
public record Cell(String method, int labeled, long seed) {

  /** The file stem of the cell's result, e.g. {@code byol-n2-s0}. */
  public String key() {
    return method + "-n" + labeled + "-s" + seed;
  }

  public boolean isReference() {
    return InitSpec.REFERENCE.equals(method);
  }
}
