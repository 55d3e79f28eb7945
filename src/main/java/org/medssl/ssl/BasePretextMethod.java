package org.medssl.ssl;

import java.util.List;
import org.medssl.tensor.ParamStore;

/** What every pretext method has: a name, one weight store and the parts fine-tuning takes. */
public abstract class BasePretextMethod implements PretextMethod {
  protected final ParamStore store = new ParamStore();
  private final String name;
  private final List<String> transferredParts;

  protected BasePretextMethod(String name, List<String> transferredParts) {
    this.name = name;
    this.transferredParts = List.copyOf(transferredParts);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final ParamStore weights() {
    return store;
  }

  @Override
  public final List<String> transferredParts() {
    return transferredParts;
  }
}
