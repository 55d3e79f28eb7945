package org.medssl.nn;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.medssl.MedsslException;
import org.medssl.io.ModelFile;
import org.medssl.tensor.ParamStore;
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
    ModelFile model = ModelFile.read(file);
    TransferReport r;
    try {
      r = store.load(model.weights());
    } catch (IllegalArgumentException e) {
      throw new MedsslException(file + ": does not fit the network: " + e.getMessage());
    }
    if (r.loaded().isEmpty()) {
      throw new MedsslException(file + ": no tensor matches the network (different architecture?)");
    }
    return r;
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
