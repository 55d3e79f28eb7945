package org.medssl.seg;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.medssl.MedsslException;
import org.medssl.Version;
import org.medssl.data.Preprocessing;
import org.medssl.io.model.ModelFile;
import org.medssl.nn.SegNet;
import org.medssl.tensor.Precision;
import org.medssl.tensor.TransferReport;

/**
 * A trained segmentation network with everything {@code predict} needs: architecture,
 * preprocessing, label names, provenance (seed, config, version) and, for a 3D network, the
 * sliding window it was trained for, saved as one {@link ModelFile}.
 *
 * @param window patch and overlap of a 3D network's sliding window; null for a 2D network
 */
public record SegmentationModel(SegNet net, Preprocessing preprocessing, List<String> labelNames, ObjectNode provenance,
    SlidingWindow window) implements AutoCloseable {

  public SegmentationModel {
    labelNames = List.copyOf(labelNames);
    if (labelNames.size() != net.config().classes()) {
      throw new IllegalArgumentException(labelNames.size() + " label names for " + net.config().classes() + " classes");
    }
  }

  /** A 2D model. */
  public SegmentationModel(SegNet net, Preprocessing preprocessing, List<String> labelNames, ObjectNode provenance) {
    this(net, preprocessing, labelNames, provenance, null);
  }

  /**
   * How this model segments a volume: slice by slice along the preprocessing's slice axis (2D), or
   * with its sliding window (3D), optionally with another overlap.
   *
   * @param overlap the window overlap to use instead of the stored one, or null
   */
  public Inferer inferer(Precision precision, Double overlap) {
    if (window == null) {
      return new SliceInferer(preprocessing.sliceAxis(), 16, precision);
    }
    if (overlap != null && !(overlap >= 0 && overlap <= SlidingWindow.MAX_OVERLAP)) {
      throw new MedsslException("--overlap: expected a fraction in [0, " + SlidingWindow.MAX_OVERLAP + "], got " + overlap);
    }
    return SlidingWindowInferer.of(overlap == null ? window : window.withOverlap(overlap), precision);
  }

  public void save(Path path) {
    new ModelFile(spec().toMetadata(Version.current()), net.weights().snapshot()).write(path);
  }

  public ModelSpec spec() {
    return new ModelSpec(net.config(), preprocessing, labelNames, provenance, window);
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
      if (spec.window() != null && !spec.window().patch().divisibleBy(net.downsamplingFactor())) {
        throw new MedsslException(path + ": inconsistent model file: inference.patch " + spec.window().patch()
            + " is not divisible by the network's downsampling factor " + net.downsamplingFactor());
      }
    } catch (RuntimeException e) {
      net.close();
      throw e;
    }
    net.train(false);
    return new SegmentationModel(net, spec.preprocessing(), spec.labelNames(), spec.provenance(), spec.window());
  }

  private static String first(List<String> names) {
    return names.isEmpty() ? "none" : names.get(0);
  }

  @Override
  public void close() {
    net.close();
  }
}
