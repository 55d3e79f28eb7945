package org.medssl.bench;

import java.nio.file.Path;
import java.util.List;
import org.medssl.tensor.Precision;

/**
 * What to measure. Zero steps switch a part off.
 *
 * @param warmup untimed steps before each timing
 * @param steps timed training (and inference) steps per configuration and precision
 * @param pipelinePrecision precision of the loader-overlap and memory runs (the demo's default)
 * @param loaderSteps timed steps of the loader-overlap measurement on the demo network
 * @param memorySteps training steps of the RSS trace on the demo network
 * @param niftiFiles .nii/.nii.gz files to decode; empty for none
 * @param pretextSteps timed steps of PGL's 3D pretraining through the pretraining loop with its
 *     loader, per precision (0 skips it)
 * @param pgl3d also time PGL's 3D pretraining step on a fixed batch, as a configuration ({@code steps} steps)
 */
public record BenchOptions(List<NetworkConfig> configs, List<Precision> precisions, int warmup, int steps,
    Precision pipelinePrecision, int loaderSteps, int memorySteps, List<Path> niftiFiles, int niftiRepeats,
    int pretextSteps, boolean pgl3d) {

  public BenchOptions {
    if (warmup < 0 || steps < 0 || loaderSteps < 0 || memorySteps < 0 || niftiRepeats < 1 || pretextSteps < 0) {
      throw new IllegalArgumentException("step counts must be >= 0 and nifti repeats >= 1");
    }
    if ((steps > 0 || pretextSteps > 0) && precisions.isEmpty() || steps > 0 && configs.isEmpty() && !pgl3d) {
      throw new IllegalArgumentException("need at least one configuration and one precision");
    }
    configs = List.copyOf(configs);
    precisions = List.copyOf(precisions);
    niftiFiles = List.copyOf(niftiFiles);
  }
}
