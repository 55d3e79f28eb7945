/**
 * Random spatial and intensity transforms of 2D slices and 3D volumes. Every random draw is a
 * params record (sampled from a passed-in generator, then applied), so a run repeats exactly and
 * the spatial part of a view is known afterwards ({@link org.medssl.augment.ViewGeometry}), which
 * is what lets two views be aligned (local contrastive positions, PGL's prior-guided alignment).
 */
package org.medssl.augment;
