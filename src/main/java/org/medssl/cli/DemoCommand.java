package org.medssl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.medssl.data.phantom.PhantomDataset;
import org.medssl.io.DatasetSpec;
import org.medssl.metrics.Summary;
import org.medssl.nn.NormKind;
import org.medssl.seg.Evaluation;
import org.medssl.seg.FineTuneConfig;
import org.medssl.seg.FineTuneJob;
import org.medssl.seg.SegmentationModel;
import org.medssl.tensor.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code medssl demo}: the main job on built-in data. Generates the phantom dataset, fine-tunes
 * with few and with more labeled subjects, evaluates both on the test subjects and prints the
 * comparison. (The label-efficiency study with pretraining will replace this.)
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Generate phantoms, fine-tune with 1 and 8 labeled subjects, evaluate, print the metrics.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", defaultValue = "runs/demo", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--labeled", defaultValue = "1,8", split = ",", description = "Labeled budgets to compare (default: ${DEFAULT-VALUE}).")
  int[] budgets;

  @Option(names = "--seed", defaultValue = "0", description = "Fine-tuning seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin
  EngineOptions engine;

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    Precision precision = engine.start();
    Path data = out.resolve("phantom");
    if (!Files.exists(data.resolve("dataset.json"))) {
      System.out.println("generating phantom dataset in " + data);
      PhantomDataset.write(data, 24, 72, 1);
    }
    DatasetSpec spec = DatasetSpec.read(data);
    List<String> rows = new ArrayList<>();
    for (int n : budgets) {
      rows.add(runBudget(data, spec, n, precision));
    }
    System.out.println();
    System.out.printf("%-10s %-22s %s%n", "labeled", "test Dice (mean ± sd)", "model");
    rows.forEach(System.out::println);
    System.out.printf("demo finished in %.1f min; outputs in %s%n", (System.nanoTime() - start) / 60e9, out);
    return 0;
  }

  private String runBudget(Path data, DatasetSpec spec, int n, Precision precision) {
    FineTuneConfig cfg = FineTuneConfig.defaults(precision, seed);
    FineTuneJob job = new FineTuneJob(data, n, 2, new int[] {16, 32, 64, 128}, NormKind.INSTANCE, null, cfg);
    Path model = out.resolve("labeled-" + n + ".medssl");
    Path csv = out.resolve("labeled-" + n + "-metrics.csv");
    System.out.println("\n== fine-tuning with " + n + " labeled subject(s)");
    FineTuneJob.Outcome outcome;
    try (ProgressBar bar = Progress.bar("finetune N=" + n, cfg.steps(), "steps")) {
      outcome = job.run(FinetuneCommand.listener(bar), System.out::println);
    }
    try (SegmentationModel m = outcome.model()) {
      m.save(model);
      Evaluation eval;
      try (ProgressBar bar = Progress.bar("evaluate", spec.test().size(), "subjects")) {
        eval = Evaluation.run(m, spec.test(), precision, bar::stepTo);
      }
      eval.writeCsv(csv);
      EvaluateCommand.print(eval, m);
      Summary s = eval.meanForegroundDice();
      return String.format("%-10d %.4f ± %.4f        %s", n, s.mean(), s.std(), model);
    }
  }
}
