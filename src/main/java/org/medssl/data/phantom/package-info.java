/**
 * The built-in phantom data: deterministic, MR-like abdominal volumes with per-subject anatomy,
 * contrast, bias field and Rician noise, and labels for liver, kidneys and spleen. Used as the
 * default dataset and by the tests, since no dataset host is reachable. Doesn't know about methods
 * or tensors.
 */
package org.medssl.data.phantom;
