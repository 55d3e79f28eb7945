/**
 * NIfTI-1 and NIfTI-2, gzipped or not: headers checked before any voxel memory is allocated,
 * every data type decoded to floats (scaled by {@code scl_slope}/{@code scl_inter}), the qform or
 * sform as an {@code image.Affine}; writing with the same geometry, atomically. Tested against
 * nibabel.
 */
package org.medssl.io.nifti;
