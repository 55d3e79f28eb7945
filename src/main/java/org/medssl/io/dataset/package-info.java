/**
 * Dataset layouts recognised as one {@link org.medssl.io.dataset.DatasetSpec}: MSD and nnU-Net
 * {@code dataset.json} (nnU-Net v2's one file per channel), ACDC, image/label folder pairs and
 * image-only folders, with their cases, subjects, channels, labels and split files.
 */
package org.medssl.io.dataset;
