package org.medssl.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.medssl.data.phantom.PhantomDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code medssl data ...}: make datasets. */
@Command(name = "data", description = "Create datasets.", subcommands = {DataCommand.Phantom.class})
final class DataCommand {

  /** {@code medssl data phantom}: the built-in synthetic MR dataset in MSD layout. */
  @Command(name = "phantom", mixinStandardHelpOptions = true,
      description = "Generate a synthetic MR phantom dataset in Medical Segmentation Decathlon layout.")
  static final class Phantom implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;

    @Option(names = "--subjects", defaultValue = "24", description = "Labeled subjects, split 2/3 training, 1/3 test (default: ${DEFAULT-VALUE}).")
    int subjects;

    @Option(names = "--unlabeled", description = "Image-only subjects for pretraining (default: 3 x subjects).")
    Integer unlabeled;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed; same seed, same files (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
      int u = unlabeled == null ? 3 * subjects : unlabeled;
      long start = System.nanoTime();
      PhantomDataset.Summary s = PhantomDataset.write(out, subjects, u, seed);
      System.out.printf("wrote %s: %d training, %d test, %d unlabeled subjects, labels %s (%.1f s)%n", out,
          s.training(), s.test(), s.unlabeled(), s.labelNames(), (System.nanoTime() - start) / 1e9);
      return 0;
    }
  }
}
