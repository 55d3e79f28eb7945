/**
 * Supervised segmentation on top of {@code nn} and {@code train}: losses, the supervised
 * objective, fine-tuning with validation-based model selection (on the shared trainer, with
 * checkpoints and resume), slice-wise and sliding-window inference, evaluation, model files and
 * PyTorch export.
 */
package org.medssl.seg;
