package org.medssl.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.medssl.data.InputChannel;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.metrics.ClassMetrics;
import org.medssl.metrics.Summary;
import org.medssl.seg.Evaluation;
import org.medssl.seg.SegmentationModel;
import org.medssl.tensor.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code medssl evaluate}: metrics of a model on the test subjects of a dataset. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Evaluate a model on a dataset's test subjects: Dice, IoU, HD, HD95, ASSD (mm) per subject and class.")
final class EvaluateCommand implements Callable<Integer> {
  @Mixin
  ModelOptions model;

  @Option(names = "--data", required = true, description = "Dataset directory (MSD dataset.json, ACDC, images/+labels/).")
  Path data;

  @Option(names = "--channel", description = "Input channel of a multi-channel dataset, by name or index"
      + " (default: the one the model was trained on).")
  String channel;

  @Option(names = "--out", required = true, description = "Output CSV, one row per subject and class.")
  Path out;

  @Mixin
  EngineOptions engine;

  @Override
  public Integer call() {
    Precision precision = engine.start();
    Evaluation eval;
    try (SegmentationModel m = model.load()) {
      DatasetSpec spec = InputChannel.datasetFor(data, channel, InputChannel.recorded(m.provenance()),
          m.net().config().inChannels(), System.out::println);
      spec.requireTestLabels("evaluate");
      List<DatasetSpec.Case> tests = spec.test().stream().filter(DatasetSpec.Case::labeled).toList();
      try (Progress.Bar bar = Progress.bar("evaluate", tests.size(), "subjects")) {
        eval = Evaluation.run(m, model.inferer(m, precision), spec, tests, precision, bar::stepTo);
      }
      eval.writeCsv(out);
      print(eval, m);
    }
    System.out.println("wrote " + out);
    return 0;
  }

  static void print(Evaluation eval, SegmentationModel m) {
    System.out.printf("%-14s %8s %8s %10s%n", "class", "Dice", "IoU", "HD95 mm");
    for (String c : m.labelNames().subList(1, m.labelNames().size())) {
      Summary d = eval.perClass(c, ClassMetrics::dice);
      Summary i = eval.perClass(c, ClassMetrics::iou);
      Summary h = eval.perClass(c, ClassMetrics::hd95Mm);
      System.out.printf("%-14s %8.4f %8.4f %10.2f%s%n", c, d.mean(), i.mean(), h.mean(),
          h.missing() > 0 ? "  (" + h.missing() + " missing)" : "");
    }
    Summary fg = eval.meanForegroundDice();
    System.out.printf("mean foreground Dice %.4f ± %.4f over %d test subjects%n", fg.mean(), fg.std(), fg.n());
    System.out.println(Evaluation.policy());
  }
}
