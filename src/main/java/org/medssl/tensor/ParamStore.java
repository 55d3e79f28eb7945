package org.medssl.tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The named weights of a network: trainable parameters and non-trainable buffers (e.g. batch-norm
 * running statistics), in creation order. Names are dotted paths like {@code encoder.0.conv1.w}.
 *
 * <p>Tensors here live outside any step scope until {@link #close()}.
 */
public final class ParamStore implements AutoCloseable {
  private final Map<String, Tensor> params = new LinkedHashMap<>();
  private final Map<String, Tensor> buffers = new LinkedHashMap<>();

  /** Creates (and registers) a trainable parameter. */
  public Tensor param(String name, Init init, RandomGenerator rng, long... shape) {
    checkNew(name);
    Tensor t = Tensor.of(init.fill(shape, rng), shape).retain().requiresGrad(true);
    params.put(name, t);
    return t;
  }

  /** Creates (and registers) a buffer: saved with the weights, never trained by gradients. */
  public Tensor buffer(String name, Init init, long... shape) {
    checkNew(name);
    Tensor t = Tensor.of(init.fill(shape, null), shape).retain();
    buffers.put(name, t);
    return t;
  }

  private void checkNew(String name) {
    if (params.containsKey(name) || buffers.containsKey(name)) {
      throw new IllegalArgumentException("duplicate weight name " + name);
    }
  }

  public List<Tensor> parameters() {
    return List.copyOf(params.values());
  }

  /** Parameters whose name starts with one of the prefixes, e.g. to train the decoder alone. */
  public List<Tensor> parameters(List<String> prefixes) {
    List<Tensor> out = new ArrayList<>();
    params.forEach((name, t) -> {
      if (prefixes.stream().anyMatch(name::startsWith)) {
        out.add(t);
      }
    });
    return out;
  }

  /** Parameters whose name starts with none of the prefixes, e.g. all but the encoder. */
  public List<Tensor> parametersExcept(List<String> prefixes) {
    List<Tensor> out = new ArrayList<>();
    params.forEach((name, t) -> {
      if (prefixes.stream().noneMatch(name::startsWith)) {
        out.add(t);
      }
    });
    return out;
  }

  public Map<String, Tensor> named() {
    Map<String, Tensor> all = new LinkedHashMap<>(params);
    all.putAll(buffers);
    return Collections.unmodifiableMap(all);
  }

  public long parameterCount() {
    return params.values().stream().mapToLong(Tensor::numel).sum();
  }

  /** Copies every weight out to Java arrays. */
  public Map<String, TensorData> snapshot() {
    Map<String, TensorData> out = new LinkedHashMap<>();
    named().forEach((name, t) -> out.put(name, t.toData()));
    return out;
  }

  /**
   * Overwrites the weights named in {@code source} that exist here. A weight whose shape differs is
   * an error, never silently skipped.
   *
   * @return names loaded and names of this store left untouched
   */
  public TransferReport load(Map<String, TensorData> source) {
    Map<String, Tensor> mine = named();
    List<String> loaded = new ArrayList<>();
    List<String> unused = new ArrayList<>();
    for (Map.Entry<String, TensorData> e : source.entrySet()) {
      Tensor target = mine.get(e.getKey());
      if (target == null) {
        unused.add(e.getKey());
        continue;
      }
      if (!e.getValue().sameShape(target.shape())) {
        throw new IllegalArgumentException("weight " + e.getKey() + " has shape " + e.getValue().shapeString()
            + " in the source but " + java.util.Arrays.toString(target.shape()) + " in the network");
      }
      loaded.add(e.getKey());
    }
    try (StepScope s = StepScope.open(); NoGrad g = NoGrad.open()) {
      for (String name : loaded) {
        mine.get(name).raw().copy_(Tensor.of(source.get(name)).raw());
      }
    }
    List<String> fresh = new ArrayList<>(mine.keySet());
    fresh.removeAll(loaded);
    return new TransferReport(loaded, fresh, unused);
  }

  /** Copies all weights from a store with identical names and shapes (e.g. keep-best snapshots). */
  public void copyFrom(ParamStore other) {
    Map<String, Tensor> mine = named();
    Map<String, Tensor> theirs = other.named();
    if (!mine.keySet().equals(theirs.keySet())) {
      throw new IllegalArgumentException("weight names differ between the two networks");
    }
    try (StepScope s = StepScope.open(); NoGrad g = NoGrad.open()) {
      mine.forEach((name, t) -> t.raw().copy_(theirs.get(name).raw()));
    }
  }

  @Override
  public void close() {
    named().values().forEach(Tensor::close);
    params.clear();
    buffers.clear();
  }
}
