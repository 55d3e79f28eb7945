/**
 * File formats and dataset layouts: reading and writing NIfTI-1/2 ({@code .nii}, {@code .nii.gz})
 * into {@link org.medssl.image.Volume}s and {@link org.medssl.image.LabelMap}s; dataset layouts
 * (MSD/nnU-Net {@code dataset.json}, ACDC, image/label folder pairs, image-only folders) recognised
 * by {@link org.medssl.io.DatasetLayouts#open} into one {@link org.medssl.io.DatasetSpec}; model
 * files, checkpoints and the CSV/JSON writers.
 *
 * <p>Everything a user file can get wrong is checked here and reported as a one-line {@link
 * org.medssl.MedsslException} naming the file; headers are validated before any voxel memory is
 * allocated, so a lying header never causes an out-of-memory error. Files that later steps trust
 * are written atomically.
 *
 * <p>This package never touches tensors: it hands plain Java images to {@code image} and {@code
 * data}.
 */
package org.medssl.io;
