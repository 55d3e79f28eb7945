package org.medssl.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;

class LightDecoderTest {

  private static Backbone backbone(Dims dims, int[] channels, NormKind norm) {
    return new Backbone(dims, EncoderKind.RESNET50, channels, norm);
  }

  @Test
  void asppKeepsTheSizeOfOddBottlenecksAndHasItsWidth() {
    try (ParamStore store = new ParamStore(); StepScope s = StepScope.open()) {
      SplittableRandom rng = new SplittableRandom(2);
      Aspp aspp3d = new Aspp(new Layers(store, Dims.THREE, NormKind.INSTANCE, rng), "a3", 32, 8);
      assertArrayEquals(new long[] {2, 8, 3, 5, 7}, aspp3d.forward(NnTesting.gaussian(rng, 2, 32, 3, 5, 7), true).shape());
      Aspp aspp2d = new Aspp(new Layers(store, Dims.TWO, NormKind.BATCH, rng), "a2", 16, 4);
      assertArrayEquals(new long[] {2, 4, 3, 5}, aspp2d.forward(NnTesting.gaussian(rng, 2, 16, 3, 5), true).shape());
    }
  }

  /** 24x40x56 through a four-stage ResNet-50 is 3x5x7 at the bottleneck, and back again. */
  @Test
  void decodesAnOddBottleneckBackToTheInputSize() {
    Backbone b = backbone(Dims.THREE, new int[] {4, 8, 16, 32}, NormKind.INSTANCE);
    try (ParamStore store = new ParamStore(); StepScope s = StepScope.open()) {
      SplittableRandom rng = new SplittableRandom(3);
      Encoder enc = Encoder.create(store, b, 1, rng);
      Decoder dec = Decoder.create(store, DecoderKind.LIGHT, b, rng);
      List<Tensor> features = enc.forward(NnTesting.gaussian(rng, 2, 1, 24, 40, 56), true);
      assertArrayEquals(new long[] {3, 5, 7}, NnTesting.spatial(features.get(3)));
      Tensor out = dec.forward(features, true);
      assertArrayEquals(new long[] {2, 4, 24, 40, 56}, out.shape());
      assertEquals(4, dec.outChannels());
    }
  }

  /**
   * Expected counts from torch.nn layers built the same way, printed by
   * {@code /usr/bin/python3 src/test/resources/org/medssl/nn/param_counts.py} (PyTorch 1.13).
   */
  @ParameterizedTest(name = "{0}d {1} aspp fraction {2}")
  @CsvSource(delimiter = ';', value = {
      "2; 4,8,16,32,64; 1.0; 58372",
      "3; 4,8,16,32,64; 0.25; 27492",
      "3; 4,8,16,32; 1.0; 20884"})
  void parameterCountsMatchPyTorch(int dims, String channels, double fraction, long expected) {
    for (NormKind norm : NormKind.values()) {
      try (ParamStore store = new ParamStore()) {
        new LightDecoder(store, backbone(Dims.of(dims), ResNetEncoderTest.parseChannels(channels), norm), fraction,
            new SplittableRandom(1));
        assertEquals(expected, store.parameterCount(), norm.name());
      }
    }
  }

  /**
   * ASPP and decoder against the whole 3D ResNet-50 network (1 input channel, 2 classes) at the
   * default ASPP width; the counts are the rows "0.125" of param_counts.py's share table. The
   * paper reports 5 % (2.38 M of 48.54 M): this layout, with full-width skips, is not that light.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
      "8,16,32,64,128; 183624; 69720",
      "16,32,64,128,256; 727408; 243632"})
  void decoderShareOfAResNet50SegNet(String channels, long encoderCount, long decoderCount) {
    Backbone b = backbone(Dims.THREE, ResNetEncoderTest.parseChannels(channels), NormKind.INSTANCE);
    try (SegNet net = new SegNet(new SegNetConfig(b, DecoderKind.LIGHT, 1, 2), new SplittableRandom(1))) {
      ParamStore w = net.weights();
      assertEquals(encoderCount, count(w, Encoder.PREFIX));
      assertEquals(decoderCount, count(w, Decoder.PREFIX));
      double share = (double) decoderCount / w.parameterCount();
      assertTrue(share > 0.2 && share < 0.3, "decoder share " + share);
    }
  }

  private static long count(ParamStore store, String prefix) {
    return store.parameters(List.of(prefix)).stream().mapToLong(Tensor::numel).sum();
  }

  @Test
  void theDefaultAsppWidthIsAnEighthOfTheBottleneckAndAtLeastOne() {
    assertEquals(256, LightDecoder.asppWidth(2048, LightDecoder.DEFAULT_ASPP_FRACTION));
    assertEquals(1, LightDecoder.asppWidth(4, LightDecoder.DEFAULT_ASPP_FRACTION));
    assertThrows(IllegalArgumentException.class, () -> LightDecoder.asppWidth(64, 0));
    assertThrows(IllegalArgumentException.class, () -> LightDecoder.asppWidth(64, 1.5));
  }

  @Test
  void weightsAreNamedUnderDecoder() {
    try (ParamStore store = new ParamStore()) {
      Decoder.create(store, DecoderKind.LIGHT, backbone(Dims.THREE, new int[] {4, 8, 16, 32, 64}, NormKind.BATCH),
          new SplittableRandom(1));
      var names = store.named().keySet();
      assertTrue(names.stream().allMatch(n -> n.startsWith("decoder.")), names.toString());
      for (String name : List.of("decoder.aspp.branch0.conv.w", "decoder.aspp.dilation8.depthwise.w",
          "decoder.aspp.pool.b", "decoder.aspp.project.norm.running_mean", "decoder.level3.up.w",
          "decoder.level0.sep2.pointwise.w", "decoder.level0.sep1.norm.w")) {
        assertTrue(names.contains(name), name);
      }
      assertTrue(!names.contains("decoder.level4.up.w"));
    }
  }

  @ParameterizedTest
  @CsvSource({"TWO, INSTANCE", "THREE, BATCH", "THREE, GROUP"})
  void aGradientReachesEveryWeight(Dims dims, NormKind norm) {
    int[] channels = {4, 8, 16, 32};
    long[] size = dims == Dims.TWO ? new long[] {24, 40} : new long[] {24, 40, 56};
    SplittableRandom rng = new SplittableRandom(11);
    try (ParamStore store = new ParamStore(); StepScope s = StepScope.open()) {
      Decoder dec = new LightDecoder(store, backbone(dims, channels, norm), 0.5, rng);
      List<Tensor> features = new ArrayList<>();
      for (int k = 0; k < channels.length; k++) {
        long[] shape = ResNetEncoderTest.input(2, channels[k], size);
        for (int i = 2; i < shape.length; i++) {
          shape[i] >>= k;
        }
        features.add(NnTesting.gaussian(rng, shape));
      }
      NnTesting.randomProjection(List.of(dec.forward(features, true)), rng).backward();
      NnTesting.assertEveryParameterHasAGradient(store);
    }
  }
}
