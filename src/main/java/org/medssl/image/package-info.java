/**
 * Images as plain Java values: {@link org.medssl.image.Volume} (float voxels), {@link
 * org.medssl.image.LabelMap} (integer labels), their {@link org.medssl.image.Grid} (shape, spacing,
 * affine) and the operations on them (slicing, crop/pad, normalisation). Never touches tensors.
 */
package org.medssl.image;
