package org.medssl.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.medssl.MedsslException;
import org.medssl.image.LabelMap;
import org.medssl.image.Volume;
import org.medssl.io.DatasetSpec;
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
    Volume raw = NiftiReader.read(c.image()).volume();
    LabelMap labels = c.label() == null ? null : preprocessing.apply(readLabels(c.label(), raw, c.image()));
    return new Subject(c.id(), preprocessing.apply(raw), labels);
  }

  /** The case's labels as they are on disk, checked against its image: what metrics compare with. */
  public LabelMap originalLabels(DatasetSpec.Case c) {
    Volume raw = NiftiReader.read(c.image()).volume();
    return readLabels(c.label(), raw, c.image());
  }

  public List<Subject> load(List<DatasetSpec.Case> cases, IntConsumer progress) {
    List<Subject> out = new ArrayList<>();
    for (DatasetSpec.Case c : cases) {
      out.add(load(c));
      progress.accept(out.size());
    }
    return out;
  }

  private LabelMap readLabels(Path file, Volume image, Path imageFile) {
    LabelMap labels = NiftiReader.read(file).labels();
    if (!labels.grid().sameGeometry(image.grid())) {
      throw new MedsslException(file + ": label grid " + labels.grid().shapeString() + " does not match image "
          + imageFile + " (" + image.grid().shapeString() + "; shape, spacing and affine must agree)");
    }
    for (int v : labels.labels()) {
      if (v < 0 || v >= classes) {
        throw new MedsslException(file + ": label value " + v + " is not declared in dataset.json (labels 0.."
            + (classes - 1) + ")");
      }
    }
    return labels;
  }
}
