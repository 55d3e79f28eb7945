/**
 * Random spatial and intensity transforms of 2D slices and 3D volumes. Every random draw is a
 * params record (sampled from a passed-in generator, then applied), so a run repeats exactly and
 * the spatial part of a view is known afterwards ({@link org.medssl.augment.ViewGeometry}), which
 * is what lets two views be aligned (local contrastive positions, PGL's prior-guided alignment).
 * One stack serves both dimensions: a slice is a volume of depth one, every spatial transform is a
 * {@link org.medssl.augment.SourceMap} that {@link org.medssl.augment.Resample} follows, and every
 * intensity change is a {@link org.medssl.augment.VoxelOps} operation.
 */
package org.medssl.augment;
