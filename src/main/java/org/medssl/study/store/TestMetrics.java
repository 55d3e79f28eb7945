package org.medssl.study.store;

import org.medssl.metrics.ClassMetrics;

/** One test subject × class of a cell; distances in mm, NaN = missing (exactly one mask empty). */
public record TestMetrics(String subject, String className, double dice, double iou, double hdMm, double hd95Mm,
    double assdMm) {

  public static TestMetrics of(String subject, ClassMetrics m) {
    return new TestMetrics(subject, m.className(), m.dice(), m.iou(), m.hdMm(), m.hd95Mm(), m.assdMm());
  }
}
