/**
 * Interactive viewer pages: one self-contained HTML file per scan and its label overlays, drawn by
 * the vendored NiiVue (multiplanar + 3D, crosshair shared by the planes), opening offline from disk.
 */
package org.medssl.viewer;
