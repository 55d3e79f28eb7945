package org.medssl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.medssl.MedsslException;
import org.junit.jupiter.api.Test;

class SplitsTest {
  private final List<String> ids = IntStream.range(0, 16).mapToObj(i -> "s" + i).toList();
  private final ClassPresence everywhere = ClassPresence.everywhere(3);

  private static BitSet classes(int... present) {
    BitSet b = new BitSet();
    for (int c : present) {
      b.set(c);
    }
    return b;
  }

  /** Subjects s0..s15 where only s{@code full} shows all three classes, s{@code two} classes 1 and 2, the rest class 1. */
  private static ClassPresence slices(int full, int two, List<String> asked) {
    return new ClassPresence(3, subject -> {
      asked.add(subject);
      BitSet b = classes(1);
      if (subject.equals("s" + full) || subject.equals("s" + two)) {
        b.set(2);
      }
      if (subject.equals("s" + full)) {
        b.set(3);
      }
      return b;
    });
  }

  @Test
  void whereEverySubjectShowsEveryClassTheDrawIsTheSeedsRandomOrderAndReadsOneLabelFile() {
    List<String> asked = new ArrayList<>();
    ClassPresence counting = new ClassPresence(3, subject -> {
      asked.add(subject);
      return everywhere.classesOf(subject);
    });
    for (long seed = 0; seed < 5; seed++) {
      asked.clear();
      List<String> drawn = Splits.labeledBudget(ids, 8, seed, counting);
      assertEquals(drawn.subList(0, 1), asked, "one label file read, the first drawn");
      assertEquals(drawn, Splits.labeledBudget(ids, 8, seed, ClassPresence.everywhere(1)),
          "the same order whatever the class count when every subject shows every class");
    }
  }

  @Test
  void theFirstPickShowsEveryClassWhenSomeSubjectDoes() {
    for (long seed = 0; seed < 20; seed++) {
      List<String> drawn = Splits.labeledBudget(ids, 1, seed, slices(11, 5, new ArrayList<>()));
      assertEquals(List.of("s11"), drawn, "seed " + seed);
    }
  }

  @Test
  void coveringDrawsAreNestedAndOtherwiseKeepTheRandomOrder() {
    for (long seed = 0; seed < 20; seed++) {
      List<String> eight = Splits.labeledBudget(ids, 8, seed, slices(11, 5, new ArrayList<>()));
      for (int n = 1; n < 8; n++) {
        assertEquals(eight.subList(0, n), Splits.labeledBudget(ids, n, seed, slices(11, 5, new ArrayList<>())));
      }
      // after s11 (which covers everything) the rest is the plain random order without it
      List<String> rest = new ArrayList<>(Splits.labeledBudget(ids, 16, seed, everywhere));
      rest.remove("s11");
      assertEquals(rest.subList(0, 7), eight.subList(1, 8), "seed " + seed);
    }
  }

  @Test
  void twoPartialSubjectsThatTogetherCoverEveryClassArePickedFirst() {
    ClassPresence halves = new ClassPresence(3,
        subject -> classes(1, subject.equals("s5") ? 2 : subject.equals("s9") ? 3 : 1));
    for (long seed = 0; seed < 10; seed++) {
      List<String> drawn = Splits.labeledBudget(ids, 2, seed, halves);
      assertEquals(java.util.Set.of("s5", "s9"), java.util.Set.copyOf(drawn), "seed " + seed);
      List<String> order = Splits.labeledBudget(ids, 16, seed, everywhere);
      assertEquals(order.indexOf("s5") < order.indexOf("s9") ? "s5" : "s9", drawn.get(0), "the earlier in the seed's order");
    }
  }

  @Test
  void classesNoSubjectShowsAreSkippedAndTheBestPartialCoverIsTakenFirst() {
    // nobody shows class 3: the first pick is the subject with classes 1 and 2
    ClassPresence noThree = new ClassPresence(3, subject -> subject.equals("s7") ? classes(1, 2) : classes(1));
    for (long seed = 0; seed < 10; seed++) {
      List<String> drawn = Splits.labeledBudget(ids, 3, seed, noThree);
      assertEquals("s7", drawn.get(0), "seed " + seed);
      List<String> rest = new ArrayList<>(Splits.labeledBudget(ids, 16, seed, everywhere));
      rest.remove("s7");
      assertEquals(rest.subList(0, 2), drawn.subList(1, 3), "seed " + seed);
    }
  }

  @Test
  void validationIsFixedAndDisjointFromThePool() {
    Splits.TrainValidation a = Splits.holdOutValidation(ids, 2);
    List<String> shuffledInput = new ArrayList<>(ids);
    Collections.reverse(shuffledInput);
    Splits.TrainValidation b = Splits.holdOutValidation(shuffledInput, 2);
    assertEquals(a.validation(), b.validation());
    assertEquals(2, a.validation().size());
    assertEquals(14, a.pool().size());
    assertTrue(Collections.disjoint(a.pool(), a.validation()));
  }

  @Test
  void budgetsAreNestedPerSeedAndDifferAcrossSeeds() {
    List<String> pool = Splits.holdOutValidation(ids, 2).pool();
    List<String> four = Splits.labeledBudget(pool, 4, 7, everywhere);
    assertEquals(four.subList(0, 2), Splits.labeledBudget(pool, 2, 7, everywhere));
    assertNotEquals(Splits.labeledBudget(pool, 4, 8, everywhere), four);
  }

  @Test
  void aBudgetLargerThanThePoolIsAUserError() {
    MedsslException e = assertThrows(MedsslException.class, () -> Splits.labeledBudget(ids.subList(0, 3), 5, 0, everywhere));
    assertTrue(e.getMessage().contains("--labeled 5 is larger than the 3"), e.getMessage());
  }
}
