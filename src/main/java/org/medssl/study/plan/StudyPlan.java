package org.medssl.study.plan;

import org.medssl.study.config.FineTuneSettings;
import org.medssl.study.config.InitSpec;
import org.medssl.study.config.PretrainSettings;
import org.medssl.study.config.StudyConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntSupplier;
import org.medssl.MedsslException;
import org.medssl.nn.Dims;
import org.medssl.data.Preprocessing;
import org.medssl.data.Splits;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.io.pytorch.ExternalWeights;
import org.medssl.ssl.PretrainJob;
import org.medssl.tensor.Precision;

/**
 * A study config resolved against its dataset: budgets in subjects, the pretrainings in the order
 * they must run (parents first), and the cells with the settings that fingerprint them.
 *
 * @param methods method labels in report order: the inits (with their length variants), then the reference
 * @param pretrainings every pretraining by its label (one per init label and pretraining seed)
 * @param initOf the init label of each method label; random and the reference are absent
 * @param seedPretrainings the pretraining labels of each method label, by pretraining seed index
 * @param fileInits the weight file of each file init's label
 */
public record StudyPlan(StudyConfig config, Path dataDir, DatasetSpec spec, Precision precision, int pool,
    List<Integer> budgets, List<String> methods, Map<String, Pretraining> pretrainings, Map<String, String> initOf,
    List<Cell> cells, Map<String, List<String>> seedPretrainings, Map<String, FileInit> fileInits) {

  /** A weight file an init starts every cell from, with what fingerprints it (its name and content). */
  public record FileInit(Path file, String description) {
    static FileInit of(Path file) {
      if (!Files.isRegularFile(file)) {
        throw new MedsslException(file + ": no such weight file (an init's 'file')");
      }
      ExternalWeights.kind(file); // a file of no known format stops the study here, named
      return new FileInit(file, "file=" + file.getFileName() + ",sha256=" + Fingerprint.ofFile(file));
    }
  }

  /** Joins an init label and a pretraining seed in a pretraining's label; init names cannot contain it. */
  public static final String SEED_MARK = "~s";

  public static StudyPlan of(StudyConfig config, Path dataDir, DatasetSpec spec, Precision precision) {
    Preprocessing pre = preprocessing(config, spec);
    return of(config, dataDir, spec, precision, () -> PretrainJob.poolSize(spec, pre,
        config.finetune().backbone().dims()));
  }

  /** @param pretrainPool the pretraining pool's size (slices in 2D, volumes in 3D); asked only for budgets in epochs */
  public static StudyPlan of(StudyConfig config, Path dataDir, DatasetSpec spec, Precision precision, IntSupplier pretrainPool) {
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
    Map<String, List<String>> seedPretrainings = new LinkedHashMap<>();
    Map<String, Pretraining> pre = pretrainings(config, precision, memo(pretrainPool), seedPretrainings);
    List<String> methods = new ArrayList<>();
    Map<String, String> initOf = new LinkedHashMap<>();
    Map<String, FileInit> fileInits = new LinkedHashMap<>();
    for (InitSpec i : config.inits()) {
      for (String label : i.labels()) {
        methods.add(label);
        if (i.isFile()) {
          fileInits.put(label, FileInit.of(i.file()));
        } else if (!i.isRandom()) {
          initOf.put(label, label);
        }
      }
    }
    if (config.reference()) {
      methods.add(InitSpec.REFERENCE);
    }
    List<Cell> cells = cells(config, methods, List.copyOf(budgets), pool);
    return new StudyPlan(config, dataDir, spec, precision, pool, List.copyOf(budgets), List.copyOf(methods), pre,
        initOf, cells, seedPretrainings, fileInits);
  }

  private static IntSupplier memo(IntSupplier s) {
    int[] v = {-1};
    return () -> v[0] < 0 ? (v[0] = s.getAsInt()) : v[0];
  }

  /** Seed by seed (so complete comparisons appear early), budget by budget, every method; the reference last. */
  private static List<Cell> cells(StudyConfig config, List<String> methods, List<Integer> budgets, int pool) {
    List<Cell> cells = new ArrayList<>();
    for (long seed : config.seeds()) {
      for (int n : budgets) {
        methods.stream().filter(m -> !InitSpec.REFERENCE.equals(m)).forEach(m -> cells.add(new Cell(m, n, seed)));
      }
      if (config.reference()) {
        cells.add(new Cell(InitSpec.REFERENCE, pool, seed));
      }
    }
    return List.copyOf(cells);
  }

  /**
   * The pretrainings in run order (parents first). An init with k pretraining seeds is pretrained k
   * times; with one seed its label is the init label, as before seeds existed, else the labels are
   * {@code label~s<seed>}. Pretraining seed index j of a child continues from its parent's index
   * {@code j mod k(parent)}.
   */
  private static Map<String, Pretraining> pretrainings(StudyConfig config, Precision precision, IntSupplier pool,
      Map<String, List<String>> labelsBySeed) {
    Map<String, Pretraining> out = new LinkedHashMap<>();
    FineTuneSettings ft = config.finetune();
    // the 2D U-Net keeps the description it had before other networks existed (finished pretrainings stay valid)
    String net = "channels=" + ft.channels() + ",norm=" + ft.norm() + (ft.backbone().dims() == Dims.TWO
        && ft.encoder() == org.medssl.nn.EncoderKind.UNET ? "" : ",backbone=" + ft.backbone().describe() + ",patch="
        + ft.patch());
    String unit = ft.backbone().dims() == Dims.TWO ? "slices" : "volumes";
    for (InitSpec i : config.inits()) {
      if (i.isRandom() || i.isFile()) {
        continue;
      }
      PretrainSettings s = i.pretraining();
      List<String> parents = i.from() == null ? null : labelsBySeed.get(i.from());
      List<Integer> lengths = new ArrayList<>(i.lengths());
      lengths.add(s.inEpochs() ? s.epochs() : s.steps());
      List<String> labels = i.labels();
      for (int k = 0; k < labels.size(); k++) {
        int length = lengths.get(k);
        int steps = s.resolveSteps(length, s.inEpochs() ? pool.getAsInt() : 0);
        String budget = !s.inEpochs() ? steps + " steps" : String.format(Locale.ROOT,
            "%d epochs of %d %s at batch %d = %d steps (%d per epoch)", length, pool.getAsInt(), unit, s.batch(), steps,
            s.stepsPerEpoch(pool.getAsInt()));
        List<String> keys = new ArrayList<>();
        for (int j = 0; j < s.seeds().size(); j++) {
          long seed = s.seeds().get(j);
          String key = s.seeds().size() == 1 ? labels.get(k) : labels.get(k) + SEED_MARK + seed;
          Pretraining parent = parents == null ? null : out.get(parents.get(j % parents.size()));
          String d = "method=" + i.method() + ";" + s.describe(i.method(), steps, seed) + ";" + net + ";data="
              + dataDescription(config) + ";precision=" + precision.label() + ";from="
              + (parent == null ? "none" : "{" + parent.description() + "}");
          out.put(key, new Pretraining(key, i.method(), s, steps, seed, parent == null ? null : parent.label(), d,
              budget));
          keys.add(key);
        }
        labelsBySeed.put(labels.get(k), List.copyOf(keys));
      }
    }
    return out;
  }

  /**
   * The label of the pretraining a cell fine-tunes from, or null (random init, the reference): with
   * k pretraining seeds, fine-tuning seed s uses the {@code (s mod k)}-th of them (counted from 0).
   * By the fine-tuning seed's value, not its place in the study's list, so a run of some of a
   * study's seeds starts each from the pretraining the full study gives it, and their cells pair.
   */
  public String pretrainingOf(Cell cell) {
    List<String> labels = seedPretrainings.get(cell.method());
    if (labels == null) {
      return null;
    }
    return labels.get(Math.floorMod(cell.seed(), labels.size()));
  }

  /** The budget in steps of a method label's pretraining (the same for every pretraining seed). */
  public int pretrainingSteps(String method) {
    return pretrainings.get(seedPretrainings.get(method).get(0)).steps();
  }

  /**
   * How a cell's labeled subjects are drawn ({@link org.medssl.data.Splits#labeledBudget}): cells
   * stored before the draw covered the classes first may hold other slices of a slice dataset.
   */
  private static final String LABELED_DRAW = "(class-covering)";

  /** Everything that determines a cell's result; a stored cell with another description is not reused. */
  public String describe(Cell cell) {
    String pre = pretrainingOf(cell);
    FileInit file = fileInits.get(cell.method());
    String init = file != null ? "{" + file.description() + "}"
        : pre == null ? "random" : "{" + pretrainings.get(pre).description() + "}";
    return "data=" + dataDescription(config) + ";finetune=" + config.finetune().describe() + ";precision="
        + precision.label() + ";init=" + init
        + ";labeled=" + cell.labeled() + LABELED_DRAW + ";seed=" + cell.seed();
  }

  /**
   * The dataset's description for fingerprints; a 3D study with a slice spacing says so, as 3D
   * studies from before z was resampled trained on the scans' own slices.
   */
  private static String dataDescription(StudyConfig config) {
    double[] spacing = config.dataset().preprocessing().spacingMm();
    boolean zResampled = config.finetune().backbone().dims() == Dims.THREE && spacing != null && spacing[2] > 0;
    return config.dataset().describe() + (zResampled ? ",zResampled" : "");
  }

  /** How the study's scans are prepared (what its fine-tunings resolve for this dataset). */
  public Preprocessing preprocessing() {
    return preprocessing(config, spec);
  }

  private static Preprocessing preprocessing(StudyConfig config, DatasetSpec spec) {
    return config.dataset().preprocessing().resolve(spec.modality(),
        config.finetune().backbone().dims() == Dims.THREE);
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

  /** The test cases with labels: what every cell is evaluated on. */
  public List<DatasetSpec.Case> labeledTests() {
    return spec().test().stream().filter(DatasetSpec.Case::labeled).toList();
  }
}
