/**
 * Segmentation metrics on label maps: overlap (Dice, IoU from a {@link
 * org.medssl.metrics.Confusion}) and surface distances in millimetres (HD, HD95, ASSD from {@link
 * org.medssl.metrics.SurfaceDistances}), per class through {@link
 * org.medssl.metrics.SegmentationMetrics}, aggregated by {@link org.medssl.metrics.Summary}.
 *
 * <p>Cases with an empty mask follow one stated rule, {@link org.medssl.metrics.EmptyMaskPolicy},
 * whose {@code describe()} text goes into every results file. Definitions follow MONAI
 * ({@code monai/metrics/hausdorff_distance.py}, {@code surface_distance.py}) and nnU-Net's
 * confusion counts; the tests check them against SciPy fixtures.
 *
 * <p>Owns the metric math only: no tensors, no files, no training-loop glue (that belongs to the
 * caller, e.g. a listener in {@code seg} or the {@code study} results store).
 */
package org.medssl.metrics;
