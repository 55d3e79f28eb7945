package org.medssl.study;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.medssl.MedsslException;
import org.medssl.data.Preprocessing;
import org.medssl.data.Splits;
import org.medssl.io.DatasetSpec;
import org.medssl.tensor.Precision;

/**
 * A study config resolved against its dataset: budgets in subjects, the pretrainings in the order
 * they must run (parents first), and the cells with the settings that fingerprint them.
 *
 * @param methods method labels in report order: the inits (with their length variants), then the reference
 * @param initOf pretraining label of each method label; random and the reference are absent
 */
public record StudyPlan(StudyConfig config, Path dataDir, DatasetSpec spec, Precision precision, int pool,
    List<Integer> budgets, List<String> methods, Map<String, Pretraining> pretrainings, Map<String, String> initOf,
    List<Cell> cells) {

  public static StudyPlan of(StudyConfig config, Path dataDir, DatasetSpec spec, Precision precision) {
    spec.requireTrainingLabels("a study");
    spec.requireTestLabels("the study to evaluate on");
    // Budgets count subjects: an ACDC patient's labeled frames are one subject.
    int pool = Splits.of(spec, config.finetune().validation()).pool().size();
    TreeSet<Integer> budgets = new TreeSet<>();
    try {
      config.labeled().forEach(b -> budgets.add(b.resolve(pool)));
    } catch (MedsslException e) {
      throw new MedsslException(config.source() + ": " + e.getMessage() + " in " + dataDir, e);
    }
    Map<String, Pretraining> pre = pretrainings(config, precision);
    List<String> methods = new ArrayList<>();
    Map<String, String> initOf = new LinkedHashMap<>();
    for (InitSpec i : config.inits()) {
      for (String label : i.labels()) {
        methods.add(label);
        if (!i.isRandom()) {
          initOf.put(label, label);
        }
      }
    }
    if (config.reference()) {
      methods.add(Study.REFERENCE);
    }
    List<Cell> cells = cells(config, methods, List.copyOf(budgets), pool);
    return new StudyPlan(config, dataDir, spec, precision, pool, List.copyOf(budgets), List.copyOf(methods), pre,
        initOf, cells);
  }

  /** Seed by seed (so complete comparisons appear early), budget by budget, every method; the reference last. */
  private static List<Cell> cells(StudyConfig config, List<String> methods, List<Integer> budgets, int pool) {
    List<Cell> cells = new ArrayList<>();
    for (long seed : config.seeds()) {
      for (int n : budgets) {
        methods.stream().filter(m -> !Study.REFERENCE.equals(m)).forEach(m -> cells.add(new Cell(m, n, seed)));
      }
      if (config.reference()) {
        cells.add(new Cell(Study.REFERENCE, pool, seed));
      }
    }
    return List.copyOf(cells);
  }

  private static Map<String, Pretraining> pretrainings(StudyConfig config, Precision precision) {
    Map<String, Pretraining> out = new LinkedHashMap<>();
    FineTuneSettings ft = config.finetune();
    // the 2D U-Net keeps the description it had before other networks existed (finished pretrainings stay valid)
    String net = "channels=" + ft.channels() + ",norm=" + ft.norm() + (ft.backbone().dims() == org.medssl.nn.Dims.TWO
        && ft.encoder() == org.medssl.nn.EncoderKind.UNET ? "" : ",backbone=" + ft.backbone().describe() + ",patch="
        + ft.patch());
    for (InitSpec i : config.inits()) {
      if (i.isRandom()) {
        continue;
      }
      Pretraining parent = i.from() == null ? null : out.get(i.from());
      List<Integer> steps = new ArrayList<>(i.lengths());
      steps.add(i.pretraining().steps());
      List<String> labels = i.labels();
      for (int k = 0; k < labels.size(); k++) {
        String d = "method=" + i.method() + ";" + i.pretraining().describe(i.method(), steps.get(k)) + ";" + net + ";data="
            + config.dataset().describe() + ";precision=" + precision.label() + ";from="
            + (parent == null ? "none" : "{" + parent.description() + "}");
        out.put(labels.get(k), new Pretraining(labels.get(k), i.method(), i.pretraining(), steps.get(k),
            parent == null ? null : parent.label(), d));
      }
    }
    return out;
  }

  /** Everything that determines a cell's result; a stored cell with another description is not reused. */
  public String describe(Cell cell) {
    String pre = initOf.get(cell.method());
    return "data=" + config.dataset().describe() + ";finetune=" + config.finetune().describe() + ";precision="
        + precision.label() + ";init=" + (pre == null ? "random" : "{" + pretrainings.get(pre).description() + "}")
        + ";labeled=" + cell.labeled() + ";seed=" + cell.seed();
  }

  /** How the study's scans are prepared (what its fine-tunings resolve for this dataset). */
  public Preprocessing preprocessing() {
    return config.dataset().preprocessing().resolve(spec.modality());
  }

  /** The example figure shows the smallest budget's first seed, and the reference; only those keep models. */
  public boolean keepsModel(Cell cell) {
    return methods.contains(cell.method()) && cell.seed() == config.seeds().get(0)
        && (cell.isReference() || cell.labeled() == budgets.get(0));
  }

  /** The pretraining and its ancestors, parents first. */
  public List<Pretraining> chain(String label) {
    List<Pretraining> out = new ArrayList<>();
    for (Pretraining p = pretrainings.get(label); p != null; p = p.parent() == null ? null : pretrainings.get(p.parent())) {
      out.add(0, p);
    }
    return out;
  }
}
