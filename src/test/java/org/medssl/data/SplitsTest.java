package org.medssl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.medssl.MedsslException;
import org.junit.jupiter.api.Test;

class SplitsTest {
  private final List<String> ids = IntStream.range(0, 16).mapToObj(i -> "s" + i).toList();

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
    List<String> four = Splits.labeledBudget(pool, 4, 7);
    assertEquals(four.subList(0, 2), Splits.labeledBudget(pool, 2, 7));
    assertNotEquals(Splits.labeledBudget(pool, 4, 8), four);
  }

  @Test
  void aBudgetLargerThanThePoolIsAUserError() {
    MedsslException e = assertThrows(MedsslException.class, () -> Splits.labeledBudget(ids.subList(0, 3), 5, 0));
    assertTrue(e.getMessage().contains("--labeled 5 is larger than the 3"), e.getMessage());
  }
}
