package org.medssl.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.medssl.MedsslException;
import org.medssl.image.LabelMap;
import org.medssl.image.Volume;
import org.medssl.io.DatasetSpec;
import org.medssl.io.NiftiImage;
import org.medssl.io.NiftiReader;

/** Reads dataset cases from disk into preprocessed {@link Subject}s, checking image/label agreement. */
public final class DatasetLoader {
  private final Preprocessing preprocessing;
  private final int classes;

  /**
   * @param classes number of classes including background; label values must be below it
   */
  public DatasetLoader(Preprocessing preprocessing, int classes) {
    this.preprocessing = preprocessing;
    this.classes = classes;
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
    Volume raw = volumeOf(c, NiftiReader.read(c.image()));
    LabelMap original = readLabels(c.label(), raw, c.image());
    return new ForEvaluation(new Subject(c.id(), preprocessing.apply(raw), null), original);
  }

  /**
   * Loads the cases in order. Consecutive cases that read frames of one 4D file (an ACDC cine, the
   * channels of an MSD image) share one read of that file.
   */
  public List<Subject> load(List<DatasetSpec.Case> cases, IntConsumer progress) {
    List<Subject> out = new ArrayList<>();
    Path lastPath = null;
    NiftiImage last = null;
    for (DatasetSpec.Case c : cases) {
      if (!c.image().equals(lastPath)) {
        last = NiftiReader.read(c.image());
        lastPath = c.image();
      }
      out.add(load(c, last));
      progress.accept(out.size());
    }
    return out;
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
    Volume raw = volumeOf(c, file);
    LabelMap labels = c.label() == null ? null : preprocessing.apply(readLabels(c.label(), raw, c.image()));
    return new Subject(c.id(), preprocessing.apply(raw), labels);
  }

  private LabelMap readLabels(Path file, Volume image, Path imageFile) {
    LabelMap labels = NiftiReader.read(file).labels();
    if (!labels.grid().sameGeometry(image.grid())) {
      throw new MedsslException(file + ": label grid " + labels.grid().shapeString() + " does not match image "
          + imageFile + " (" + image.grid().shapeString() + "; shape, spacing and affine must agree)");
    }
    for (int v : labels.labels()) {
      if (v < 0 || v >= classes) {
        throw new MedsslException(file + ": label value " + v + " is not a declared label (the dataset's labels"
            + " are 0.." + (classes - 1) + ")");
      }
    }
    return labels;
  }
}
