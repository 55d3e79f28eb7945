package org.medssl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The ops added for ResNet encoders and the decoder-light network, against direct sums. */
class TensorNetworkOpsTest {

  /** x[c][i][j] = 100 c + 10 i + j: every value tells where it came from. */
  private static float[] indexedImage(int channels, int h, int w) {
    float[] v = new float[channels * h * w];
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          v[(c * h + i) * w + j] = 100 * c + 10 * i + j;
        }
      }
    }
    return v;
  }

  /** Depthwise 3x3 with zero padding, as the definition reads: out[c] = sum_taps w[c] * x[c]. */
  private static float[] referenceDepthwise(float[] x, float[] w, int channels, int h, int wd, int dilation) {
    float[] out = new float[x.length];
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < wd; j++) {
          float sum = 0;
          for (int a = -1; a <= 1; a++) {
            for (int b = -1; b <= 1; b++) {
              int y = i + a * dilation;
              int z = j + b * dilation;
              if (y >= 0 && y < h && z >= 0 && z < wd) {
                sum += w[c * 9 + (a + 1) * 3 + (b + 1)] * x[(c * h + y) * wd + z];
              }
            }
          }
          out[(c * h + i) * wd + j] = sum;
        }
      }
    }
    return out;
  }

  @Test
  void dilatedDepthwiseConvolutionKeepsTheSizeAndMixesNoChannels() {
    int channels = 2;
    int h = 5;
    int w = 7;
    float[] x = indexedImage(channels, h, w);
    float[] kernel = new float[channels * 9];
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] = (i % 5) - 2 + 0.5f * (i / 9);
    }
    try (StepScope s = StepScope.open()) {
      for (int dilation : new int[] {1, 2, 4}) {
        Tensor out = Tensor.of(x, 1, channels, h, w).conv(Tensor.of(kernel, channels, 1, 3, 3), null, 1, dilation, channels);
        assertArrayEquals(new long[] {1, channels, h, w}, out.shape());
        assertArrayEquals(referenceDepthwise(x, kernel, channels, h, w, dilation), out.toFloats(), 1e-3f, "dilation " + dilation);
      }
    }
  }

  @Test
  void threeDimensionalDilationAndStrideFollowTheUsualSizeRule() {
    try (StepScope s = StepScope.open()) {
      Tensor x = Tensor.zeros(2, 6, 3, 5, 7);
      Tensor depthwise = Tensor.zeros(6, 1, 3, 3, 3);
      // Dilation 8 on a 3x5x7 map: the padding exceeds the map, the size is kept.
      assertArrayEquals(new long[] {2, 6, 3, 5, 7}, x.conv(depthwise, null, 1, 8, 6).shape());
      // Grouped, strided: ceil(n / 2) per axis, as a stride-2 residual block needs.
      Tensor grouped = Tensor.zeros(4, 3, 3, 3, 3);
      assertArrayEquals(new long[] {2, 4, 2, 3, 4}, x.conv(grouped, null, 2, 1, 2).shape());
    }
  }

  @Test
  void expandRepeatsSizeOneDimensionsWithGradients() {
    try (ParamStore store = new ParamStore(); StepScope s = StepScope.open()) {
      Tensor pooled = store.param("p", Init.ONES, null, 1, 2, 1, 1);
      Tensor wide = pooled.expand(1, 2, 3, 4);
      assertArrayEquals(new long[] {1, 2, 3, 4}, wide.shape());
      assertEquals(24f, wide.sum().item());
      wide.sum().backward();
      // Each pooled value was used 12 times.
      assertArrayEquals(new float[] {12, 12}, pooled.grad().toFloats());
      assertTrue(pooled.requiresGrad());
    }
  }

  @Test
  void dilatedConvolutionRunsInBf16UnderAutocast() {
    try (StepScope s = StepScope.open(); Autocast a = Autocast.of(Precision.BF16)) {
      Tensor out = Tensor.zeros(1, 4, 3, 5, 7).conv(Tensor.zeros(4, 1, 3, 3, 3), null, 1, 2, 4);
      assertTrue(out.isBf16());
    }
  }
}
