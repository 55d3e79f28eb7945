package org.medssl.ssl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.medssl.tensor.NoGrad;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;

/**
 * Online/target weight pairs of a momentum method, matched by name: the weight
 * {@code onlinePrefix + rest} pairs with {@code targetPrefix + rest}. Parameters only: buffers
 * (batch-norm statistics) keep their own running values, as in solo-learn.
 */
public final class MomentumPairs {
  private final List<Tensor> online = new ArrayList<>();
  private final List<Tensor> target = new ArrayList<>();

  public MomentumPairs(ParamStore store, List<String[]> prefixPairs) {
    Map<String, Tensor> all = store.named();
    List<Tensor> params = store.parameters();
    for (String[] pair : prefixPairs) {
      all.forEach((name, t) -> {
        if (name.startsWith(pair[0]) && params.contains(t)) {
          Tensor other = all.get(pair[1] + name.substring(pair[0].length()));
          if (other == null) {
            throw new IllegalArgumentException("no target weight for " + name);
          }
          online.add(t);
          target.add(other);
        }
      });
    }
  }

  /** {@code target = tau * target + (1 - tau) * online}. */
  public void update(double tau) {
    try (StepScope s = StepScope.open(); NoGrad g = NoGrad.open()) {
      for (int i = 0; i < online.size(); i++) {
        target.get(i).mulInPlace(tau);
        target.get(i).addInPlace(online.get(i), 1 - tau);
      }
    }
  }

  /** Copies the online weights into the targets (the start of BYOL). */
  public void copyOnlineToTarget() {
    update(0);
  }

  /** Copies the targets into the online weights (continuing from weights that only had a target). */
  public void copyTargetToOnline() {
    try (StepScope s = StepScope.open(); NoGrad g = NoGrad.open()) {
      for (int i = 0; i < online.size(); i++) {
        online.get(i).copyFrom(target.get(i));
      }
    }
  }

  public List<Tensor> targets() {
    return List.copyOf(target);
  }

  public int size() {
    return online.size();
  }
}
