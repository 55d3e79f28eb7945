/**
 * Files, in sub-packages by format: {@code io.nifti} reads and writes NIfTI-1/2 ({@code .nii},
 * {@code .nii.gz}) into {@code image.Volume}s and {@code image.LabelMap}s; {@code io.dataset}
 * recognises dataset layouts (MSD/nnU-Net {@code dataset.json}, ACDC, image/label folder pairs,
 * image-only folders) as one {@code DatasetSpec}; {@code io.model} holds model files and training
 * checkpoints; {@code io.pytorch} reads and writes PyTorch and safetensors weights. This package
 * keeps what they share: atomic writes ({@link org.medssl.io.AtomicFiles}), CSV tables and
 * bundled resources.
 *
 * <p>Everything a user file can get wrong is checked in these packages and reported as a one-line
 * {@link org.medssl.MedsslException} naming the file; headers are validated before any voxel
 * memory is allocated, so a lying header never causes an out-of-memory error. Files that later
 * steps trust are written atomically. None of them touches tensors: they hand plain Java images
 * and {@code tensor.TensorData} records to the packages above.
 */
package org.medssl.io;
