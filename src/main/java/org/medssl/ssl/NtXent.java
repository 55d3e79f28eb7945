package org.medssl.ssl;

import org.medssl.tensor.Tensor;

/**
 * NT-Xent (normalised temperature-scaled cross-entropy; Chen et al. 2020), the global contrastive
 * loss. For embeddings {@code a, b} of shape {@code (N, d)}, pair i of {@code a} and i of
 * {@code b} is positive; every other of the 2N embeddings is a negative.
 */
public final class NtXent {
  private NtXent() {}

  public static Tensor loss(Tensor a, Tensor b, double temperature) {
    int n = (int) a.size(0);
    Tensor z = Tensor.cat(java.util.List.of(a, b), 0).toFloat().normalize(1);
    Tensor logits = withoutSelf(z.matmul(z.transpose()).mul(1 / temperature), 2 * n);
    long[] targets = new long[2 * n];
    for (int i = 0; i < n; i++) {
      targets[i] = i + n;
      targets[i + n] = i;
    }
    return logits.crossEntropy(Tensor.ofLongs(targets, 2L * n));
  }

  /** Pushes the diagonal (self-similarity) of a square logit matrix to a huge negative value. */
  static Tensor withoutSelf(Tensor logits, int size) {
    return logits.sub(Tensor.eye(size).mul(1e9));
  }
}
