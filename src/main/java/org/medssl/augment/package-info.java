/**
 * Random spatial and intensity transforms of 2D slices. Every random draw is a params record
 * (sampled from a passed-in generator, then applied), so a run repeats exactly and the spatial
 * part of a view is known afterwards.
 */
package org.medssl.augment;
