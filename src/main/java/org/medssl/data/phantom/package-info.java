/**
 * The built-in phantom data: deterministic, MR-like abdominal volumes with per-subject anatomy,
 * contrast, bias field and Rician noise, and labels for liver, kidneys and spleen. Used as the
 * default dataset and by the tests, since no dataset host is reachable. Doesn't know about methods
 * or tensors.
 *
 * <p>Two versions ({@link org.medssl.data.phantom.PhantomConfig#version()}): 1, the original, draws
 * each subject's contrast between T1- and T2-like; 2 is one MR sequence with a stable tissue order,
 * per-subject scanner nuisance (gain, gamma, bias field, noise, texture) and wider anatomy (organ
 * size and position, body build, warp strength, lesions labeled as their organ). Version 1's output
 * never changes: finished studies were computed on it.
 */
package org.medssl.data.phantom;
