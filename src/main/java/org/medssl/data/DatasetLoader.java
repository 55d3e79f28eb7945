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

  public Subject load(DatasetSpec.Case c) {
    Volume image = preprocessing.apply(NiftiReader.read(c.image()).volume());
    LabelMap labels = c.label() == null ? null : readLabels(c.label(), image, c.image());
    return new Subject(c.id(), image, labels);
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
