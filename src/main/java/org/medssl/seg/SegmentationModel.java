package org.medssl.seg;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.medssl.MedsslException;
import org.medssl.Version;
import org.medssl.data.Preprocessing;
import org.medssl.io.ModelFile;
import org.medssl.nn.SegNet;
import org.medssl.tensor.TransferReport;

/**
 * A trained segmentation network with everything {@code predict} needs: architecture,
 * preprocessing, label names and provenance (seed, config, version), saved as one {@link ModelFile}.
 */
public record SegmentationModel(SegNet net, Preprocessing preprocessing, List<String> labelNames, ObjectNode provenance)
    implements AutoCloseable {

  public SegmentationModel {
    labelNames = List.copyOf(labelNames);
    if (labelNames.size() != net.config().classes()) {
      throw new IllegalArgumentException(labelNames.size() + " label names for " + net.config().classes() + " classes");
    }
  }

  public void save(Path path) {
    new ModelFile(spec().toMetadata(Version.current()), net.weights().snapshot()).write(path);
  }

  public ModelSpec spec() {
    return new ModelSpec(net.config(), preprocessing, labelNames, provenance);
  }

  /** Reads a model file; every weight of the network must be in it with its shape, and nothing else. */
  public static SegmentationModel load(Path path) {
    ModelFile file = ModelFile.read(path);
    ModelSpec spec = ModelSpec.of(path, file);
    SegNet net = new SegNet(spec.architecture(), new SplittableRandom(0));
    try {
      TransferReport report = net.weights().load(file.weights());
      if (!report.fresh().isEmpty() || !report.unused().isEmpty()) {
        throw new MedsslException(path + ": weights do not match the architecture (" + report.fresh().size()
            + " missing, e.g. " + first(report.fresh()) + "; " + report.unused().size() + " unknown, e.g. "
            + first(report.unused()) + ")");
      }
    } catch (RuntimeException e) {
      net.close();
      throw e;
    }
    net.train(false);
    return new SegmentationModel(net, spec.preprocessing(), spec.labelNames(), spec.provenance());
  }

  private static String first(List<String> names) {
    return names.isEmpty() ? "none" : names.get(0);
  }

  @Override
  public void close() {
    net.close();
  }
}
