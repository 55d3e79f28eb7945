package org.medssl.data;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.io.nifti.NiftiReader;

/**
 * Which foreground classes each training subject's labels show, for the labeled-budget draw
 * ({@link Splits#labeledBudget}). Read lazily: the draw asks only for the subjects it must look at,
 * so on a dataset whose first drawn subject already shows every class one label file is read.
 */
public interface ClassPresence {
  /** Foreground classes, numbered 1 to this (background, 0, is never counted). */
  int foregroundClasses();

  /** The foreground classes present in the subject's labels. */
  BitSet classesOf(String subject);

  /** Every subject shows every class: the draw is then the seed's plain random order. */
  static ClassPresence everywhere(int foregroundClasses) {
    BitSet all = new BitSet();
    all.set(1, foregroundClasses + 1);
    return new ClassPresence() {
      @Override
      public int foregroundClasses() {
        return foregroundClasses;
      }

      @Override
      public BitSet classesOf(String subject) {
        return (BitSet) all.clone();
      }
    };
  }

  /** Read from the label files of the dataset's training cases (a subject's cases pooled), each once. */
  static ClassPresence ofLabels(DatasetSpec spec) {
    int foreground = spec.labelNames().size() - 1;
    Map<String, BitSet> read = new HashMap<>();
    return new ClassPresence() {
      @Override
      public int foregroundClasses() {
        return foreground;
      }

      @Override
      public BitSet classesOf(String subject) {
        return (BitSet) read.computeIfAbsent(subject, s -> {
          BitSet present = new BitSet();
          for (DatasetSpec.Case c : spec.trainingCasesOf(java.util.List.of(s))) {
            for (int v : NiftiReader.read(c.label()).labels().labels()) {
              if (v > 0) {
                present.set(v);
              }
            }
          }
          return present;
        }).clone();
      }
    };
  }
}
