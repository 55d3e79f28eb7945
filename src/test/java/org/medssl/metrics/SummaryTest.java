package org.medssl.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SummaryTest {

  @Test
  void ignoresNanInMeanAndStdButCountsIt() {
    Summary s = Summary.of(new double[] {1, Double.NaN, 2, 3, Double.NaN, 6});

    assertEquals(3.0, s.mean(), 1e-15);
    assertEquals(Math.sqrt((4 + 1 + 0 + 9) / 3.0), s.std(), 1e-15); // sample std, n - 1
    assertEquals(4, s.n());
    assertEquals(2, s.missing());
    assertEquals(6, s.total());
  }

  @Test
  void singleValueHasZeroStd() {
    assertEquals(new Summary(5, 0, 1, 1), Summary.of(new double[] {5, Double.NaN}));
  }

  @Test
  void allMissingHasNoMeanButKeepsTheCount() {
    Summary s = Summary.of(new double[] {Double.NaN, Double.NaN});

    assertTrue(Double.isNaN(s.mean()));
    assertTrue(Double.isNaN(s.std()));
    assertEquals(0, s.n());
    assertEquals(2, s.missing());
  }

  @Test
  void noValues() {
    Summary s = Summary.of(new double[0]);

    assertEquals(0, s.total());
    assertTrue(Double.isNaN(s.mean()));
  }
}
