/**
 * medssl's own weight files: the {@code .medssl} model file (metadata + named fp32 weights) and
 * training checkpoints (metadata, weights and the optimiser's opaque state), written atomically.
 */
package org.medssl.io.model;
