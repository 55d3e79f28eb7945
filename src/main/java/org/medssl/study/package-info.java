/**
 * Label-efficiency studies: a YAML config ({@link org.medssl.study.config.StudyYaml}) becomes a grid of
 * cells (initialisation × labeled budget × seed, plus a fully supervised reference) that
 * {@link org.medssl.study.Study} runs resumably on top of {@code ssl.PretrainJob} and
 * {@code seg.FineTuneJob}. Each finished cell is one small JSON file written atomically; every table,
 * plot, example figure and the HTML report is regenerated from those files.
 *
 * <p>The runner lives here; its parts in sub-packages, each using only those before it: {@code config},
 * {@code plan}, {@code store}, {@code report}. Together they own study configs, the plan, the results
 * store, curve statistics (area, convergence step),
 * aggregation over seeds, plots (XChart), example figures (javax.imageio) and the report. Must not:
 * touch native code, train anything itself (it calls the {@code ssl} and {@code seg} jobs), or
 * print (it logs through the consumer it is given).
 */
package org.medssl.study;
