package org.medssl.data;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.medssl.MedsslException;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.io.dataset.SplitsFile;

/**
 * Subject-level splits: a fixed validation set for model selection, and the labeled budget drawn
 * from the rest. Whole subjects only, so no subject has slices on both sides.
 */
public final class Splits {
  /** Validation subjects are chosen with this fixed seed, identical for every run on a dataset. */
  public static final long VALIDATION_SEED = 20221;

  private Splits() {}

  /** The two disjoint parts of the training cases. */
  public record TrainValidation(List<String> pool, List<String> validation) {}

  /**
   * Holds out {@code count} validation subjects (at most a third of the cases, and none when there
   * are fewer than 3 cases), the same ones on every run.
   */
  public static TrainValidation holdOutValidation(List<String> trainingIds, int count) {
    int n = Math.min(count, trainingIds.size() / 3);
    List<String> shuffled = shuffled(trainingIds, VALIDATION_SEED);
    List<String> validation = List.copyOf(shuffled.subList(0, n));
    List<String> pool = new ArrayList<>(trainingIds);
    pool.removeAll(validation);
    return new TrainValidation(List.copyOf(pool), validation);
  }

  /**
   * The validation subjects of a dataset: fold 0 of its {@code splits_final.json} when it has one
   * (nnU-Net's convention; then {@code count} is not used), else {@code count} held out with the
   * fixed seed.
   */
  public static TrainValidation of(DatasetSpec spec, int count) {
    List<String> subjects = spec.trainingSubjects();
    Optional<List<String>> declared = SplitsFile.validation(spec.root());
    if (declared.isEmpty()) {
      return holdOutValidation(subjects, count);
    }
    for (String id : declared.get()) {
      if (!subjects.contains(id)) {
        throw new MedsslException(spec.root().resolve(SplitsFile.FILE) + ": validation subject '" + id
            + "' is not a training subject of the dataset");
      }
    }
    List<String> pool = new ArrayList<>(subjects);
    pool.removeAll(declared.get());
    return new TrainValidation(List.copyOf(pool), List.copyOf(declared.get()));
  }

  /**
   * Picks {@code n} labeled subjects from the pool with the seed, covering the classes first: the
   * subjects come in the seed's random order, except that while some foreground class is missing
   * from those already picked, the next pick is the first subject in that order that adds the most
   * missing classes. Where every subject shows every class (whole scans) this is the plain random
   * order; where cases are slices, one labeled slice is one that shows the structures, as an
   * annotator would choose it, not a slice above the organs. Budgets are nested: the subjects for
   * budget n are a prefix of those for budget 2n with the same seed, as in the seeds' studies.
   */
  public static List<String> labeledBudget(List<String> pool, int n, long seed, ClassPresence presence) {
    if (n < 1) {
      throw new MedsslException("--labeled must be at least 1, got " + n);
    }
    if (n > pool.size()) {
      throw new MedsslException("--labeled " + n + " is larger than the " + pool.size()
          + " labeled training subjects available (after holding out validation subjects)");
    }
    List<String> order = new ArrayList<>(shuffled(pool, seed));
    BitSet missing = new BitSet();
    missing.set(1, presence.foregroundClasses() + 1);
    List<String> picked = new ArrayList<>();
    while (picked.size() < n) {
      picked.add(order.remove(missing.isEmpty() ? 0 : coverMostMissing(order, missing, presence)));
    }
    return List.copyOf(picked);
  }

  /**
   * Index of the first subject in {@code order} that shows the most {@code missing} classes, whose
   * classes are then no longer missing; stops at the first that shows all of them, so a dataset of
   * whole scans reads one label file. When no subject shows any missing class, they can never be
   * covered: {@code missing} is cleared and the rest is the plain random order.
   */
  private static int coverMostMissing(List<String> order, BitSet missing, ClassPresence presence) {
    int best = 0;
    BitSet bestShown = new BitSet();
    for (int i = 0; i < order.size() && !bestShown.equals(missing); i++) {
      BitSet shown = presence.classesOf(order.get(i));
      shown.and(missing);
      if (shown.cardinality() > bestShown.cardinality()) {
        best = i;
        bestShown = shown;
      }
    }
    if (bestShown.isEmpty()) {
      missing.clear();
    } else {
      missing.andNot(bestShown);
    }
    return best;
  }

  private static List<String> shuffled(List<String> ids, long seed) {
    List<String> sorted = new ArrayList<>(ids);
    Collections.sort(sorted);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = sorted.size() - 1; i > 0; i--) {
      Collections.swap(sorted, i, rng.nextInt(i + 1));
    }
    return sorted;
  }
}
