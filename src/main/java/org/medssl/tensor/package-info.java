/**
 * The engine: the only package that touches native code (libtorch through the JavaCPP presets).
 *
 * <p>It owns loading the natives, the thread count, the device, precision (bf16 autocast), one
 * memory scope per training step, optimisers and the conversion of weights to and from plain Java
 * arrays. Every other package works with {@link org.medssl.tensor.Tensor} and {@link
 * org.medssl.tensor.TensorData} and never imports {@code org.bytedeco}.
 */
package org.medssl.tensor;
