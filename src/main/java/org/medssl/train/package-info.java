/**
 * The one training loop pretraining and fine-tuning share ({@link org.medssl.train.Trainer}):
 * phases with their inputs, objective and optimiser, warm-up + cosine per phase, inputs prepared
 * on a background thread from per-step seeds, one memory scope per step, mixed precision opened
 * in one place ({@link org.medssl.train.MixedPrecision}), divergence checks, and a chain of
 * {@link org.medssl.train.TrainingListener}s for everything else: progress, loss curves, model
 * selection, early stopping and checkpoints ({@link org.medssl.train.Checkpointer}) from which a
 * killed run resumes.
 */
package org.medssl.train;
