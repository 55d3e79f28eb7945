/**
 * Self-supervised pretext methods on the shared loop of {@code train}. Each method is one class
 * that declares its weights and heads, how it draws its inputs, its loss, its options and (for
 * momentum methods, through {@link org.medssl.ssl.MomentumMethod}) its EMA pairs, and one
 * registry line in {@link org.medssl.ssl.PretextMethods}; {@link org.medssl.ssl.Pretrainer}
 * turns its stages into the trainer's phases and keeps the loss curve and collapse warnings.
 */
package org.medssl.ssl;
