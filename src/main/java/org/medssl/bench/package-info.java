/**
 * Performance benchmarks: training and inference throughput of fixed reference networks, peak
 * and long-run resident memory, data-loader overlap and NIfTI decoding speed. It times the same
 * training step fine-tuning runs ({@code seg.SegmentationStep}) and measures nothing else.
 * Must not touch native code (memory is read from {@code /proc}) or print: it returns records.
 */
package org.medssl.bench;
