package org.medssl.study.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.medssl.MedsslException;
import org.medssl.ssl.PretextMethods;

/**
 * One initialisation to compare: random, a pretraining with a pretext method, or a weight file
 * (a {@code .medssl} model, a PyTorch state dict or safetensors: a generalist init such as
 * ImageNet weights, Kalapos).
 *
 * @param name the label in every output (e.g. {@code byol}, {@code byol-byol})
 * @param method a registered pretext method, or null for random initialisation
 * @param from the name of an earlier pretraining init to continue from (hierarchical pretraining,
 *     Kalapos), or null
 * @param pretraining steps, batch, seed, optimiser and method options; null for random
 * @param lengths extra, shorter pretraining lengths (Kalapos Fig. 8), in the budget's unit (steps or
 *     epochs); each is a separate pretraining with its own full warm-up and cosine schedule, labelled
 *     {@code name@length}
 * @param file the weight file of a file init, or null
 */
public record InitSpec(String name, String method, String from, PretrainSettings pretraining, List<Integer> lengths,
    Path file) {
  /** Method label of the fully supervised reference: all labels of the pool, random init. */
  public static final String REFERENCE = "reference";


  /** Init names become file names and CSV cells: no separators, no spaces, no {@code @}. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]*");

  public InitSpec {
    lengths = List.copyOf(lengths);
    if (name == null || !NAME.matcher(name).matches()) {
      throw new MedsslException("inits: name '" + name + "' must match " + NAME.pattern());
    }
    if (InitSpec.REFERENCE.equals(name)) {
      throw new MedsslException("inits: '" + InitSpec.REFERENCE + "' is reserved for the fully supervised reference");
    }
    if (file != null) {
      requireFileIsPlain(name, method, from, lengths);
    } else if (method == null) {
      requireRandomIsPlain(name, from, lengths);
    } else {
      requireKnownMethod(name, method);
      requireLengths(name, lengths, pretraining.inEpochs() ? pretraining.epochs() : pretraining.steps(),
          pretraining.inEpochs() ? "epochs" : "steps");
    }
  }

  /** A pretraining init. */
  public InitSpec(String name, String method, String from, PretrainSettings pretraining, List<Integer> lengths) {
    this(name, method, from, pretraining, lengths, null);
  }

  public static InitSpec random(String name) {
    return new InitSpec(name, null, null, null, List.of(), null);
  }

  /** Initialisation from a weight file, the same for every cell of the init. */
  public static InitSpec file(String name, Path file) {
    return new InitSpec(name, null, null, null, List.of(), file);
  }

  public boolean isRandom() {
    return method == null && file == null;
  }

  public boolean isFile() {
    return file != null;
  }

  /** The method labels this init contributes: {@code name@k} for each extra length, then {@code name}. */
  public List<String> labels() {
    List<String> out = new ArrayList<>();
    lengths.forEach(k -> out.add(name + "@" + k));
    out.add(name);
    return out;
  }

  private static void requireFileIsPlain(String name, String method, String from, List<Integer> lengths) {
    if (method != null || from != null || !lengths.isEmpty()) {
      throw new MedsslException("inits: '" + name + "' initialises from a file, so 'method', 'from' and 'lengths'"
          + " make no sense");
    }
  }

  private static void requireRandomIsPlain(String name, String from, List<Integer> lengths) {
    if (from != null || !lengths.isEmpty()) {
      throw new MedsslException("inits: '" + name + "' has no method (random init), so 'from' and 'lengths' make no sense");
    }
  }

  private static void requireKnownMethod(String name, String method) {
    for (String m : PretextMethods.names()) {
      if (m.equals(method)) {
        return;
      }
    }
    throw new MedsslException("inits: '" + name + "': unknown pretext method '" + method + "'; available: "
        + String.join(", ", PretextMethods.names()) + " (or no method for random init)");
  }

  private static void requireLengths(String name, List<Integer> lengths, int steps, String unit) {
    for (int i = 0; i < lengths.size(); i++) {
      int k = lengths.get(i);
      if (k < 1 || k >= steps || (i > 0 && k <= lengths.get(i - 1))) {
        throw new MedsslException("inits: '" + name + "': lengths must increase and lie in [1, " + unit + ") ("
            + unit + " " + steps + "), got " + lengths);
      }
    }
  }
}
