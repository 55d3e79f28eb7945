package org.medssl.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medssl.tensor.Autocast;
import org.medssl.tensor.Precision;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;
import org.medssl.tensor.TensorData;
import org.medssl.tensor.TransferReport;

/** SegNet with every encoder family and both decoders. */
class SegNetEncoderDecoderTest {

  private static SegNetConfig config(Dims dims, EncoderKind encoder, DecoderKind decoder, NormKind norm) {
    return new SegNetConfig(new Backbone(dims, encoder, new int[] {4, 8, 16}, norm), decoder, 1, 3);
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
      "TWO, UNET, LIGHT", "TWO, RESNET18, UNET", "TWO, RESNET18, LIGHT", "TWO, RESNET50, UNET", "TWO, RESNET50, LIGHT",
      "THREE, UNET, LIGHT", "THREE, RESNET18, UNET", "THREE, RESNET18, LIGHT", "THREE, RESNET50, UNET",
      "THREE, RESNET50, LIGHT"})
  void logitsHaveTheClassesAndTheInputSize(Dims dims, EncoderKind encoder, DecoderKind decoder) {
    long[] input = dims == Dims.TWO ? new long[] {2, 1, 12, 20} : new long[] {2, 1, 12, 20, 28};
    try (SegNet net = new SegNet(config(dims, encoder, decoder, NormKind.INSTANCE), new SplittableRandom(0));
        StepScope s = StepScope.open()) {
      Tensor y = net.forward(NnTesting.gaussian(new SplittableRandom(1), input));
      long[] expected = input.clone();
      expected[1] = 3;
      assertArrayEquals(expected, y.shape());
      assertEquals(4, net.downsamplingFactor());
    }
  }

  @Test
  void aResNet50WithTheLightDecoderRunsUnderBf16Autocast() {
    try (SegNet net = new SegNet(config(Dims.THREE, EncoderKind.RESNET50, DecoderKind.LIGHT, NormKind.INSTANCE),
        new SplittableRandom(0)); StepScope s = StepScope.open()) {
      Tensor y;
      try (Autocast a = Autocast.of(Precision.BF16)) {
        y = net.forward(NnTesting.gaussian(new SplittableRandom(1), 2, 1, 12, 20, 28));
      }
      assertArrayEquals(new long[] {2, 3, 12, 20, 28}, y.shape());
      assertTrue(y.isBf16());
    }
  }

  /** Saved weights (running statistics included) rebuild the same network under another seed. */
  @Test
  void aResNet50LightNetworkRoundTripsThroughASnapshot() {
    SegNetConfig cfg = config(Dims.THREE, EncoderKind.RESNET50, DecoderKind.LIGHT, NormKind.BATCH);
    Tensor x;
    try (StepScope s = StepScope.open()) {
      x = NnTesting.gaussian(new SplittableRandom(4), 2, 1, 8, 12, 16).retain();
    }
    try (SegNet trained = new SegNet(cfg, new SplittableRandom(1)); SegNet restored = new SegNet(cfg, new SplittableRandom(2));
        x) {
      try (StepScope s = StepScope.open()) {
        trained.forward(x); // training mode: moves the batch-norm running statistics
      }
      Map<String, TensorData> snapshot = trained.weights().snapshot();
      TransferReport report = restored.weights().load(snapshot);
      assertEquals(List.copyOf(snapshot.keySet()), report.loaded());
      assertEquals(List.of(), report.fresh());
      assertEquals(List.of(), report.unused());
      trained.train(false);
      restored.train(false);
      try (StepScope s = StepScope.open()) {
        assertArrayEquals(trained.forward(x).toFloats(), restored.forward(x).toFloats());
      }
    }
  }
}
