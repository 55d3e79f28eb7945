package org.medssl.seg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.medssl.MedsslException;
import org.medssl.Version;
import org.medssl.data.DatasetLoader;
import org.medssl.data.Subject;
import org.medssl.io.CsvTable;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.image.LabelMap;
import org.medssl.metrics.ClassMetrics;
import org.medssl.metrics.EmptyMaskPolicy;
import org.medssl.metrics.SegmentationMetrics;
import org.medssl.metrics.Summary;
import org.medssl.tensor.Precision;

/** Evaluates a segmentation model on labeled cases: per subject and class Dice, IoU, HD, HD95, ASSD. */
public final class Evaluation {
  /** Metrics of one subject. */
  public record CaseResult(String subject, List<ClassMetrics> classes) {
    public double meanForegroundDice() {
      return classes.stream().mapToDouble(ClassMetrics::dice).average().orElse(Double.NaN);
    }
  }

  private final List<CaseResult> cases;
  private final List<Object> provenance;

  private Evaluation(List<CaseResult> cases, List<Object> provenance) {
    this.cases = List.copyOf(cases);
    this.provenance = List.copyOf(provenance);
  }

  /** Evaluates a single-channel model with its own inferer. */
  public static Evaluation run(SegmentationModel model, List<DatasetSpec.Case> testCases, Precision precision,
      IntConsumer progress) {
    return run(model, model.inferer(precision, null), null, testCases, precision, progress);
  }

  /**
   * Evaluates with a given inferer (e.g. a 3D model's sliding window with another overlap).
   *
   * @param spec the dataset the cases come from, which says where each case's channels are; only a
   *     model reading several channels needs it (null otherwise)
   */
  public static Evaluation run(SegmentationModel model, Inferer inferer, DatasetSpec spec,
      List<DatasetSpec.Case> testCases, Precision precision, IntConsumer progress) {
    DatasetLoader loader = new DatasetLoader(model.preprocessing(), model.labelNames().size(), false,
        channelsOf(model, spec));
    List<CaseResult> out = new ArrayList<>();
    for (DatasetSpec.Case c : testCases) {
      DatasetLoader.ForEvaluation loaded = loader.loadForEvaluation(c);
      Subject s = loaded.subject();
      // Metrics on the scan's own grid, as the user's labels are: the prediction is mapped back first.
      LabelMap reference = loaded.originalLabels();
      LabelMap pred = model.preprocessing().restore(inferer.predict(model.net(), s.input()), reference.grid());
      out.add(new CaseResult(s.id(), SegmentationMetrics.evaluate(pred, reference, foreground(model.labelNames()))));
      progress.accept(out.size());
    }
    return new Evaluation(out, List.of(model.provenance().path("seed").asText(""),
        model.provenance().path("medsslVersion").asText(""), precision.label(), Version.current()));
  }

  /** Where a case's input channels are: all of the dataset's for a multi-channel model, else the case itself. */
  private static Function<DatasetSpec.Case, List<DatasetSpec.Case>> channelsOf(SegmentationModel model,
      DatasetSpec spec) {
    int channels = model.net().config().inChannels();
    if (channels == 1) {
      return List::of;
    }
    if (spec == null || spec.channelNames().size() != channels) {
      throw new MedsslException((spec == null ? "this dataset" : spec.root() + " (channels " + spec.channelList() + ")")
          + " cannot feed the model, which reads " + channels + " input channels");
    }
    return spec::channelCases;
  }

  /** Names of labels 1..K (the metrics never report background). */
  static List<String> foreground(List<String> labelNames) {
    return labelNames.subList(1, labelNames.size());
  }

  public List<CaseResult> cases() {
    return cases;
  }

  /** Mean over subjects of each subject's mean foreground Dice. */
  public Summary meanForegroundDice() {
    return Summary.of(cases.stream().mapToDouble(CaseResult::meanForegroundDice).toArray());
  }

  public Summary perClass(String className, java.util.function.ToDoubleFunction<ClassMetrics> metric) {
    return Summary.of(cases.stream()
        .flatMap(c -> c.classes().stream())
        .filter(m -> m.className().equals(className))
        .mapToDouble(metric)
        .toArray());
  }

  /** One row per subject and class; missing distances (one mask empty) are empty cells. */
  public void writeCsv(Path path) {
    CsvTable t = new CsvTable(List.of("subject", "class", "label", "dice", "iou", "hd_mm", "hd95_mm", "assd_mm",
        "pred_voxels", "ref_voxels", "model_seed", "model_medssl_version", "precision", "medssl_version"));
    for (CaseResult c : cases) {
      for (ClassMetrics m : c.classes()) {
        List<Object> row = new ArrayList<>(List.of(c.subject(), m.className(), m.label(), m.dice(), m.iou(), m.hdMm(),
            m.hd95Mm(), m.assdMm(), m.predVoxels(), m.refVoxels()));
        row.addAll(provenance); // every row says what made it, like the study tables
        t.add(row.toArray());
      }
    }
    t.write(path);
  }

  public static String policy() {
    return EmptyMaskPolicy.STANDARD.describe();
  }
}
