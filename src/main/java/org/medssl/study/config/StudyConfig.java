package org.medssl.study.config;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medssl.MedsslException;
import org.medssl.ssl.PretextMethods;
import org.medssl.tensor.Precision;

/**
 * A label-efficiency study: which data, which initialisations, which labeled budgets and seeds,
 * the fine-tuning budget, and whether to add the fully supervised reference (all labels of the
 * pool, random init, every seed). Read from YAML by {@link StudyYaml}.
 *
 * @param noiseFloor rerun one random-init cell with another thread count, to show how far rounding alone
 *     moves a result
 * @param precision {@code auto}, {@code fp32} or {@code bf16}: part of the study because it changes
 *     results and speed (bf16 autocast only pays off on CPUs with AMX)
 * @param source where the config came from (a file or a resource), for messages and the report
 * @param text the config text as given, copied into the study directory and the report
 */
public record StudyConfig(String name, DatasetSource dataset, List<InitSpec> inits, List<Budget> labeled,
    List<Long> seeds, FineTuneSettings finetune, boolean reference, boolean noiseFloor, String precision, String source,
    String text) {

  public StudyConfig {
    inits = List.copyOf(inits);
    labeled = List.copyOf(labeled);
    seeds = List.copyOf(seeds);
    if (name == null || !InitSpec.NAME.matcher(name).matches()) {
      throw new MedsslException("name: '" + name + "' must match " + InitSpec.NAME.pattern());
    }
    if (inits.isEmpty() || labeled.isEmpty() || seeds.isEmpty()) {
      throw new MedsslException("inits, labeled and seeds must each list at least one value");
    }
    if (new HashSet<>(seeds).size() != seeds.size()) {
      throw new MedsslException("seeds: listed twice: " + seeds);
    }
    if (!List.of("auto", "fp32", "bf16").contains(precision)) {
      throw new MedsslException("precision: expected auto, fp32 or bf16, got '" + precision + "'");
    }
    requireChains(inits);
    for (InitSpec i : inits) { // a 3D study refuses 2D-only methods before anything runs
      if (i.method() != null) {
        try {
          PretextMethods.requireUsable(i.method(), i.pretraining().options(), finetune.backbone().dims());
        } catch (MedsslException e) {
          throw new MedsslException("inits: '" + i.name() + "': " + e.getMessage() + " (the study's network is"
              + " finetune.dims)");
        }
      }
    }
  }

  /**
   * The precision to run with: an explicit {@code fp32}/{@code bf16} on the command line wins, else
   * the config's, where {@code auto} picks bf16 on CPUs with native bf16 arithmetic.
   */
  public Precision precision(String commandLine) {
    return Precision.parse("auto".equalsIgnoreCase(commandLine) ? precision : commandLine);
  }

  /** Names are unique and {@code from} names an earlier pretraining, so chains run in list order and never loop. */
  private static void requireChains(List<InitSpec> inits) {
    Map<String, InitSpec> seen = new HashMap<>();
    Set<String> labels = new HashSet<>();
    for (InitSpec i : inits) {
      for (String label : i.labels()) {
        if (!labels.add(label)) {
          throw new MedsslException("inits: the name '" + label + "' is used twice");
        }
      }
      if (i.from() != null) {
        InitSpec parent = seen.get(i.from());
        if (parent == null || parent.isRandom() || parent.isFile()) {
          throw new MedsslException("inits: '" + i.name() + "' continues from '" + i.from()
              + "', which must be a pretraining init listed before it (to pretrain from a weight file, run"
              + " ./medssl pretrain --init FILE and give the result as a file init)");
        }
      }
      seen.put(i.name(), i);
    }
  }

  /** The name of the random-init arm every method is compared with, or null when the study has none. */
  public String randomInit() {
    return inits.stream().filter(InitSpec::isRandom).map(InitSpec::name).findFirst().orElse(null);
  }

  public InitSpec init(String name) {
    return inits.stream().filter(i -> i.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no init " + name));
  }
}
