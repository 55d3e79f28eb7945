/**
 * Self-supervised pretext methods on a shared loop. Each method is one class that declares its
 * weights and heads, how it draws its inputs, its loss and (for momentum methods) its EMA pairs;
 * {@link org.medssl.ssl.Pretrainer} owns the loop, optimiser, schedule, EMA, collapse monitoring,
 * logging and checkpoints.
 */
package org.medssl.ssl;
