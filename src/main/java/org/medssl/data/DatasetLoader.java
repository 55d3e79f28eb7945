package org.medssl.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.medssl.MedsslException;
import org.medssl.image.Grid;
import org.medssl.image.LabelMap;
import org.medssl.image.MultiChannelVolume;
import org.medssl.image.Volume;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.io.nifti.NiftiImage;
import org.medssl.io.nifti.NiftiReader;

/**
 * Reads dataset cases from disk into preprocessed {@link Subject}s, checking image/label agreement
 * and finite voxels (the same checks {@link DatasetCheck} runs over a whole dataset).
 */
public final class DatasetLoader {
  private final Preprocessing preprocessing;
  private final int classes;
  private final boolean replaceNonFinite;
  private final Function<DatasetSpec.Case, List<DatasetSpec.Case>> channelsOf;
  private long replacedVoxels;
  private int scansWithReplacements;

  /**
   * @param classes number of classes including background; label values must be below it
   * @param replaceNonFinite read NaN/Inf voxels as the lowest intensity (counted) instead of
   *     refusing the scan
   */
  public DatasetLoader(Preprocessing preprocessing, int classes, boolean replaceNonFinite) {
    this(preprocessing, classes, replaceNonFinite, List::of);
  }

  /**
   * @param channelsOf the cases a subject's input channels are read from, in channel order
   *     ({@link DatasetSpec#channelCases} for all channels; one case for a single channel)
   */
  public DatasetLoader(Preprocessing preprocessing, int classes, boolean replaceNonFinite,
      Function<DatasetSpec.Case, List<DatasetSpec.Case>> channelsOf) {
    this.preprocessing = preprocessing;
    this.classes = classes;
    this.replaceNonFinite = replaceNonFinite;
    this.channelsOf = channelsOf;
  }

  /** A loader that refuses scans with NaN/Inf voxels. */
  public DatasetLoader(Preprocessing preprocessing, int classes) {
    this(preprocessing, classes, false);
  }

  /** NaN/Inf voxels read as the lowest intensity so far, and in how many scans; empty when none. */
  public Optional<String> replacements() {
    return replacedVoxels == 0 ? Optional.empty() : Optional.of(String.format(
        "replaced %d NaN/Inf voxel(s) in %d scan(s) by the lowest intensity (--replace-nonfinite)", replacedVoxels,
        scansWithReplacements));
  }

  /** The case on the preprocessing's target grid: image normalised, labels (if any) resampled alongside. */
  public Subject load(DatasetSpec.Case c) {
    return load(c, NiftiReader.read(c.image()));
  }

  /**
   * A labeled case for evaluation: the image prepared for the network (the subject carries no
   * labels) and the labels as they are on disk, which metrics compare with.
   */
  public record ForEvaluation(Subject subject, LabelMap originalLabels) {}

  /** Reads the image once, checks the labels against it, and prepares only the image. */
  public ForEvaluation loadForEvaluation(DatasetSpec.Case c) {
    MultiChannelVolume raw = channels(c, NiftiReader.read(c.image()));
    LabelMap original = readLabels(c.label(), raw.grid(), c.image());
    return new ForEvaluation(new Subject(c.id(), raw.map(preprocessing::apply), null), original);
  }

  /**
   * Loads the cases in order. Consecutive cases that read frames of one 4D file (an ACDC cine, the
   * channels of an MSD image) share one read of that file.
   */
  public List<Subject> load(List<DatasetSpec.Case> cases, IntConsumer progress) {
    List<Subject> out = new ArrayList<>();
    forEach(cases, progress, out::add);
    return out;
  }

  /**
   * As {@link #load(List, IntConsumer)}, handing each subject to {@code sink} as soon as it is
   * ready, so a caller that stores them elsewhere never holds the whole dataset at once.
   */
  public void forEach(List<DatasetSpec.Case> cases, IntConsumer progress, Consumer<Subject> sink) {
    Path lastPath = null;
    NiftiImage last = null;
    int done = 0;
    for (DatasetSpec.Case c : cases) {
      if (!c.image().equals(lastPath)) {
        last = null; // let the previous file go before the next is read
        last = NiftiReader.read(c.image());
        lastPath = c.image();
      }
      sink.accept(load(c, last));
      progress.accept(++done);
    }
  }

  /** The 3D volume a case stands for: one frame of a 4D file, or a file that must be 3D. */
  public static Volume volumeOf(DatasetSpec.Case c, NiftiImage file) {
    if (c.frame() != DatasetSpec.Case.WHOLE_FILE) {
      return file.volume(c.frame());
    }
    if (file.frames() > 1) {
      throw new MedsslException(c.image() + ": 4D image " + file.header().shapeString() + " where a 3D image is"
          + " expected (if its 4th dimension holds channels, declare them in dataset.json's 'modality' and choose"
          + " one with --channel)");
    }
    return file.volume();
  }

  private Subject load(DatasetSpec.Case c, NiftiImage file) {
    MultiChannelVolume raw = channels(c, file);
    LabelMap labels = c.label() == null ? null : preprocessing.apply(readLabels(c.label(), raw.grid(), c.image()));
    return new Subject(c.id(), raw.map(preprocessing::apply), labels);
  }

  /**
   * The case's input channels, each checked for finite voxels and on the first one's grid; {@code
   * file} is the case's own image file, read already (another channel in the same 4D file reuses it).
   */
  private MultiChannelVolume channels(DatasetSpec.Case c, NiftiImage file) {
    List<Volume> volumes = new ArrayList<>();
    for (DatasetSpec.Case channel : channelsOf.apply(c)) {
      Volume v = finite(channel, volumeOf(channel, channel.image().equals(c.image()) ? file
          : NiftiReader.read(channel.image())));
      if (!volumes.isEmpty() && !v.grid().sameGeometry(volumes.get(0).grid())) {
        throw new MedsslException(channel.image() + ": channel " + volumes.size() + " lies on " + v.grid().shapeString()
            + " but channel 0 (" + c.image() + ") on " + volumes.get(0).grid().shapeString() + "; a case's channels"
            + " must share shape, spacing and affine");
      }
      volumes.add(v);
    }
    return new MultiChannelVolume(volumes);
  }

  /** The scan itself when every voxel is finite; else an error, or (when asked) counted and left to preprocessing. */
  private Volume finite(DatasetSpec.Case c, Volume raw) {
    long bad = raw.nonFiniteCount();
    if (bad == 0) {
      return raw;
    }
    if (!replaceNonFinite) {
      throw new MedsslException(c.image() + ": " + describeNonFinite(raw, bad) + "; the scan is broken (check its"
          + " conversion), or pass --replace-nonfinite to read them as the lowest intensity");
    }
    replacedVoxels += bad;
    scansWithReplacements++;
    return raw; // Preprocessing.apply reads NaN/Inf as the low clip
  }

  /** "3 NaN/Inf voxels (first at x,y,z 4,0,2)". */
  static String describeNonFinite(Volume v, long count) {
    float[] voxels = v.voxels();
    int first = 0;
    while (Float.isFinite(voxels[first])) {
      first++;
    }
    int nx = v.grid().nx();
    int ny = v.grid().ny();
    return count + " NaN/Inf voxel" + (count == 1 ? "" : "s") + " (first at x,y,z " + first % nx + ","
        + first / nx % ny + "," + first / (nx * ny) + ")";
  }

  private LabelMap readLabels(Path file, Grid image, Path imageFile) {
    LabelMap labels = NiftiReader.read(file).labels();
    requireSameGrid(file, labels.grid(), imageFile, image);
    requireDeclared(file, labels, classes);
    return labels;
  }

  /** Labels must lie on their image's grid: shape, spacing and affine. */
  static void requireSameGrid(Path labelFile, Grid labels, Path imageFile, Grid image) {
    if (!labels.sameGeometry(image)) {
      throw new MedsslException(labelFile + ": label grid " + labels.shapeString() + " does not match image "
          + imageFile + " (" + image.shapeString() + "; shape, spacing and affine must agree)");
    }
  }

  /** Every label value must be one of the dataset's {@code classes} declared labels. */
  static void requireDeclared(Path labelFile, LabelMap labels, int classes) {
    for (int v : labels.labels()) {
      if (v < 0 || v >= classes) {
        throw new MedsslException(labelFile + ": label value " + v + " is not a declared label (the dataset's labels"
            + " are 0.." + (classes - 1) + ")");
      }
    }
  }
}
