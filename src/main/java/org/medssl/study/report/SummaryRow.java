package org.medssl.study.report;

import java.util.List;
import java.util.Map;
import org.medssl.metrics.Summary;

/**
 * One method × labeled budget of a study: mean and spread over seeds of each seed's test mean.
 *
 * @param dice over seeds, of each seed's mean foreground Dice (over test subjects and classes)
 * @param hd95Mm over seeds, of each seed's mean HD95 over the present values
 * @param hd95Missing subject × class values without an HD95 (exactly one mask empty), over all seeds
 * @param classDice per class, over seeds, of each seed's mean Dice of that class
 */
public record SummaryRow(String method, int labeled, List<Long> seeds, Summary dice, Summary iou, Summary hd95Mm,
    int hd95Missing, Summary seconds, Map<String, Summary> classDice, Map<String, Summary> classHd95Mm) {

  public SummaryRow {
    seeds = List.copyOf(seeds);
    classDice = Map.copyOf(classDice);
    classHd95Mm = Map.copyOf(classHd95Mm);
  }
}
