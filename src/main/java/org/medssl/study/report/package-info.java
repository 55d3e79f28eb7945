/**
 * What a study's stored results say: aggregation over seeds, paired differences with their
 * intervals, learning curves, the noise floor, CSV tables, plots, the example figure and
 * {@code report.html}, all regenerated from the stored cells.
 */
package org.medssl.study.report;
