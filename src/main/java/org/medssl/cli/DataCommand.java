package org.medssl.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.medssl.data.DatasetCheck;
import org.medssl.data.InputChannel;
import org.medssl.data.colin27.AalClasses;
import org.medssl.data.colin27.Colin27Dataset;
import org.medssl.data.colin27.Colin27Source;
import org.medssl.data.phantom.PhantomDataset;
import org.medssl.io.dataset.DatasetLayouts;
import org.medssl.io.dataset.DatasetSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code medssl data ...}: make datasets. */
@Command(name = "data", description = "Create and check datasets.",
    subcommands = {DataCommand.Phantom.class, DataCommand.Fetch.class, DataCommand.Check.class})
final class DataCommand {

  /** {@code medssl data check}: every case of a dataset, before a long run trusts it. */
  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Check a whole dataset before training: files present and readable, label grids equal to"
          + " their images, finite voxels, whole-number labels among the declared ones, the same scan in training"
          + " and test, orientation and spacing outliers. One row per case, then the problems; exit 2 on any error.")
  static final class Check implements Callable<Integer> {
    private static final String ROW = "%-28s %-9s %-13s %-17s %-5s %-9s %s%n";

    @Mixin
    DataOptions data;

    @Option(names = "--headers-only", description = "Read headers only (seconds for any size): no voxel checks.")
    boolean headersOnly;

    @Override
    public Integer call() {
      boolean everyChannel = InputChannel.isAll(data.channel);
      DatasetSpec spec = DatasetLayouts.open(data.dir, everyChannel ? null : data.channel);
      System.out.printf("%s: %s, labels %s, %d training, %d test, %d unlabeled case(s)%n", data.dir, spec.layout(),
          spec.labelNames(), spec.training().size(), spec.test().size(), spec.unlabeled().size());
      System.out.printf(ROW, "case", "split", "shape", "spacing (mm)", "axes", "labels", "status");
      DatasetCheck.Depth depth = headersOnly ? DatasetCheck.Depth.HEADERS : DatasetCheck.Depth.FULL;
      Consumer<DatasetCheck.CaseRow> print = row -> System.out.printf(ROW, row.id(), row.split(), row.shape(),
          row.spacing(), row.orientation(), row.labels(),
          row.ok() ? (row.findings().isEmpty() ? "ok" : "warning") : "ERROR");
      DatasetCheck.Report report = everyChannel ? DatasetCheck.runEveryChannel(spec, depth, print)
          : DatasetCheck.run(spec, depth, print);
      for (DatasetCheck.Finding f : report.findings()) {
        System.out.println((f.error() ? "error: " : "warning: ") + f.line());
      }
      System.out.println(report.verdict());
      report.require();
      return 0;
    }
  }

  /** {@code medssl data fetch colin27}: real MRI with labels, from Debian's package mirror. */
  @Command(name = "fetch", mixinStandardHelpOptions = true,
      description = "Build a real-MRI dataset in MSD layout. colin27: the Colin27 T1 with AAL-derived labels (cerebral"
          + " cortex, deep grey nuclei, cerebellum) from Debian's mricron-data, split by axial slab.")
  static final class Fetch implements Callable<Integer> {
    @Parameters(index = "0", description = "Dataset name: colin27.")
    String name;

    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;

    @Option(names = "--from", description = "A folder with ch2.nii.gz, aal.nii.gz and aal.nii.txt (default: the"
        + " installed mricron-data, else 'apt-get download mricron-data').")
    Path from;

    @Override
    public Integer call() {
      if (!"colin27".equals(name)) {
        throw new org.medssl.MedsslException("data fetch: unknown dataset '" + name + "' (available: colin27)");
      }
      long start = System.nanoTime();
      Colin27Dataset.Summary s = Colin27Source.build(from, out, System.out::println);
      System.out.printf("wrote %s: %d training slices (one case each), %d unlabeled slices, test slabs %s,"
          + " validation slab z%d-%d, labels %s, voxels per label in the training slices %s (%.1f s)%n", out,
          s.trainingSlices(), s.unlabeledSlices(), s.testSlabs().stream().map(z -> "z" + z[0] + "-" + (z[1] - 1)).toList(),
          s.validationSlab()[0], s.validationSlab()[1] - 1, AalClasses.LABEL_NAMES,
          Arrays.toString(s.trainingLabelCounts()), (System.nanoTime() - start) / 1e9);
      return 0;
    }
  }

  /** {@code medssl data phantom}: the built-in synthetic MR dataset in MSD layout. */
  // Not mixinStandardHelpOptions: its --version would take the name of the generator version.
  @Command(name = "phantom",
      description = "Generate a synthetic MR phantom dataset in Medical Segmentation Decathlon layout.")
  static final class Phantom implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;

    @Option(names = "--subjects", defaultValue = "24", description = "Labeled subjects, split 2/3 training, 1/3 test (default: ${DEFAULT-VALUE}).")
    int subjects;

    @Option(names = "--unlabeled", description = "Image-only subjects for pretraining (default: 3 x subjects).")
    Integer unlabeled;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed; same seed, same files (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--version", defaultValue = "1", description = "Generator version: 1 (contrast drawn per subject,"
        + " little anatomical variation; what older studies used) or 2 (one MR sequence with scanner variation,"
        + " varied anatomy and lesions) (default: ${DEFAULT-VALUE}).")
    int version;

    @Override
    public Integer call() {
      int u = unlabeled == null ? 3 * subjects : unlabeled;
      long start = System.nanoTime();
      PhantomDataset.Summary s = PhantomDataset.write(out, subjects, u, seed, version);
      System.out.printf("wrote %s: version %d, %d training, %d test, %d unlabeled subjects, labels %s (%.1f s)%n",
          out, version, s.training(), s.test(), s.unlabeled(), s.labelNames(), (System.nanoTime() - start) / 1e9);
      return 0;
    }
  }
}
