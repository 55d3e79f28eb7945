package org.medssl.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.medssl.io.nifti.NiftiReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code medssl inspect FILE}: what a NIfTI file holds. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Show a NIfTI file's header, shape, spacing, orientation and value range.")
final class InspectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "A .nii or .nii.gz file.")
  Path file;

  @Override
  public Integer call() {
    System.out.println(NiftiReader.read(file).describe(file));
    return 0;
  }
}
