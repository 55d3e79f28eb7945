package org.medssl.data;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.io.nifti.NiftiReader;

/**
 * Which foreground classes each training subject's labels show, for the labeled-budget draw
 * ({@link Splits#labeledBudget}). Asked lazily: the draw looks only at the subjects it must, so on
 * a dataset whose first drawn subject already shows every class one label file is read.
 *
 * @param foregroundClasses foreground classes, numbered 1 to this (background, 0, is never counted)
 * @param lookup the foreground classes present in a subject's labels
 */
public record ClassPresence(int foregroundClasses, Function<String, BitSet> lookup) {

  /** The foreground classes present in the subject's labels (a copy the caller may change). */
  public BitSet classesOf(String subject) {
    return (BitSet) lookup.apply(subject).clone();
  }

  /** Every subject shows every class: the draw is then the seed's plain random order. */
  public static ClassPresence everywhere(int foregroundClasses) {
    BitSet all = new BitSet();
    all.set(1, foregroundClasses + 1);
    return new ClassPresence(foregroundClasses, subject -> all);
  }

  /** Read from the label files of the dataset's training cases (a subject's cases pooled), each once. */
  public static ClassPresence ofLabels(DatasetSpec spec) {
    Map<String, BitSet> read = new HashMap<>();
    return new ClassPresence(spec.labelNames().size() - 1, subject -> read.computeIfAbsent(subject, s -> {
      BitSet present = new BitSet();
      for (DatasetSpec.Case c : spec.trainingCasesOf(List.of(s))) {
        for (int v : NiftiReader.read(c.label()).labels().labels()) {
          if (v > 0) {
            present.set(v);
          }
        }
      }
      return present;
    }));
  }
}
