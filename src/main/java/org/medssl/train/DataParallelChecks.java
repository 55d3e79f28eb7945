package org.medssl.train;

import org.medssl.MedsslException;
import org.medssl.nn.Backbone;
import org.medssl.nn.NormKind;
import org.medssl.tensor.Distributed;

/**
 * What data-parallel training cannot do yet, refused before any data is read, each in one line:
 * batch-norm statistics are per process (not synchronised), and a loss that compares samples across
 * the batch (contrastive negatives) would see each process's share only.
 */
public final class DataParallelChecks {
  private DataParallelChecks() {}

  /**
   * @param method the pretext method, or null for fine-tuning
   * @param batchWideLoss whether the method's loss compares samples across the batch
   */
  public static void require(Distributed group, Backbone backbone, String method, boolean batchWideLoss) {
    if (backbone.norm() == NormKind.BATCH) {
      throw new MedsslException("--norm batch: batch-norm statistics are not synchronised across the " + group.world()
          + " processes; use --norm instance or group for data-parallel training");
    }
    if (batchWideLoss) {
      throw new MedsslException("--method " + method + ": its negatives would come from each process's batch only"
          + " (they are not gathered across processes yet); run it as one process");
    }
  }
}
