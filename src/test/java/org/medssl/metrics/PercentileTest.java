package org.medssl.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PercentileTest {

  @Test
  void matchesNumpyLinear() {
    // np.percentile([4, 1, 3, 2], 95) == 3.85; np.percentile([0, 10], 95) == 9.5
    assertEquals(3.85, Percentile.linear(new double[] {4, 1, 3, 2}, 95), 1e-15);
    assertEquals(9.5, Percentile.linear(new double[] {10, 0}, 95), 1e-15);
    assertEquals(2.5, Percentile.linear(new double[] {1, 2, 3, 4}, 50), 1e-15);
  }

  @Test
  void endsAndSingleValue() {
    double[] v = {3, 1, 2};
    assertEquals(1, Percentile.linear(v, 0));
    assertEquals(3, Percentile.linear(v, 100));
    assertEquals(7, Percentile.linear(new double[] {7}, 95));
  }

  @Test
  void doesNotReorderInput() {
    double[] v = {3, 1, 2};
    Percentile.linear(v, 50);
    assertEquals(3, v[0]);
  }

  @Test
  void rejectsNoValuesAndBadPercent() {
    assertThrows(IllegalArgumentException.class, () -> Percentile.linear(new double[0], 95));
    assertThrows(IllegalArgumentException.class, () -> Percentile.linear(new double[] {1}, 101));
  }
}
