package org.medssl.nn;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.medssl.MedsslException;
import org.medssl.io.ModelFile;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.Tensor;
import org.medssl.tensor.TensorData;
import org.medssl.tensor.TransferReport;

/**
 * Initialising a network from a {@code .medssl} file: every weight whose name exists in the network
 * is loaded, the rest stay fresh. Shared by fine-tuning ({@code finetune --init}) and hierarchical
 * pretraining ({@code pretrain --init}).
 */
public final class WeightFiles {
  private WeightFiles() {}

  /**
   * Loads the file's weights into {@code store}; a shape mismatch or a file with no matching weight
   * is a user error naming the file.
   */
  public static TransferReport loadInto(ParamStore store, Path file) {
    return loadInto(store, file, note -> { });
  }

  /** As {@link #loadInto(ParamStore, Path)}, telling {@code notes} which weights were adapted to more input channels. */
  public static TransferReport loadInto(ParamStore store, Path file, Consumer<String> notes) {
    ModelFile model = ModelFile.read(file);
    TransferReport r;
    try {
      r = store.load(adaptInputChannels(model.weights(), store, notes));
    } catch (IllegalArgumentException e) {
      throw new MedsslException(file + ": does not fit the network: " + e.getMessage());
    }
    if (r.loaded().isEmpty()) {
      throw new MedsslException(file + ": no tensor matches the network (different architecture?)");
    }
    return r;
  }

  /**
   * A network pretrained on one channel initialising one that reads C (every channel of a
   * multi-channel dataset, {@code finetune --channel all}): a weight of shape {@code (out, 1, k...)}
   * where the network has {@code (out, C, k...)} (its first convolution) is repeated over the C
   * input channels and divided by C, so a scan whose channels were all equal would give the
   * pretrained responses, as timm adapts ImageNet stems to other channel counts.
   */
  static Map<String, TensorData> adaptInputChannels(Map<String, TensorData> weights, ParamStore store,
      Consumer<String> notes) {
    Map<String, Tensor> targets = store.named();
    Map<String, TensorData> out = new LinkedHashMap<>(weights);
    weights.forEach((name, source) -> {
      Tensor target = targets.get(name);
      if (target != null && isSingleChannelOf(source.shape(), target.shape())) {
        int channels = (int) target.shape()[1];
        out.put(name, repeatInputChannel(source, channels));
        notes.accept(name + ": pretrained on 1 input channel, repeated over " + channels + " and divided by "
            + channels);
      }
    });
    return out;
  }

  private static boolean isSingleChannelOf(long[] source, long[] target) {
    if (source.length < 3 || source.length != target.length || source[1] != 1 || target[1] <= 1) {
      return false;
    }
    for (int i = 0; i < source.length; i++) {
      if (i != 1 && source[i] != target[i]) {
        return false;
      }
    }
    return true;
  }

  private static TensorData repeatInputChannel(TensorData source, int channels) {
    long[] shape = source.shape();
    int kernel = source.values().length / (int) shape[0];
    float[] out = new float[source.values().length * channels];
    for (int o = 0; o < shape[0]; o++) {
      for (int c = 0; c < channels; c++) {
        for (int i = 0; i < kernel; i++) {
          out[(o * channels + c) * kernel + i] = source.values()[o * kernel + i] / channels;
        }
      }
    }
    shape[1] = channels;
    return new TensorData(shape, out);
  }

  /** One line for logs: counts per top-level part, e.g. "48 loaded {decoder=24, encoder=24}, ...". */
  public static String describe(TransferReport r) {
    return String.format("%d tensors loaded %s, %d fresh %s, %d unused %s", r.loaded().size(), byPart(r.loaded()),
        r.fresh().size(), byPart(r.fresh()), r.unused().size(), byPart(r.unused()));
  }

  static Map<String, Long> byPart(List<String> names) {
    return names.stream().collect(Collectors.groupingBy(
        n -> n.substring(0, Math.max(0, n.indexOf('.'))), TreeMap::new, Collectors.counting()));
  }
}
