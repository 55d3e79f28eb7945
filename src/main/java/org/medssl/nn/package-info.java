/**
 * Networks built from {@link org.medssl.tensor.Tensor} operations: encoders that declare their
 * stage channels, the U-Net decoder, heads. Weights live in a {@link
 * org.medssl.tensor.ParamStore} under dotted names so they can be saved and transferred by name.
 */
package org.medssl.nn;
