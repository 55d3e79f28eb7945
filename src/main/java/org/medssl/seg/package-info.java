/**
 * Supervised segmentation on top of {@code nn}: losses, learning-rate schedules, the fine-tuning
 * loop with validation-based model selection, and slice-wise inference over whole volumes.
 */
package org.medssl.seg;
