package org.medssl.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;

class ResNetEncoderTest {
  private static final int[] FIVE_STAGES = {4, 8, 16, 32, 64};

  private static Encoder encoder(ParamStore store, Dims dims, EncoderKind kind, int[] channels, NormKind norm,
      int inChannels) {
    return Encoder.create(store, new Backbone(dims, kind, channels, norm), inChannels, new SplittableRandom(1));
  }

  @ParameterizedTest
  @CsvSource({"TWO, RESNET18", "TWO, RESNET50", "THREE, RESNET18", "THREE, RESNET50"})
  void everyStageHasItsChannelsAndHalfTheResolutionOfTheOneBefore(Dims dims, EncoderKind kind) {
    long[] size = dims == Dims.TWO ? new long[] {32, 48} : new long[] {16, 32, 48};
    try (ParamStore store = new ParamStore(); StepScope s = StepScope.open()) {
      Encoder enc = encoder(store, dims, kind, FIVE_STAGES, NormKind.INSTANCE, 1);
      List<Tensor> features = enc.forward(Tensor.zeros(input(2, 1, size)), true);
      assertEquals(FIVE_STAGES.length, features.size());
      for (int k = 0; k < features.size(); k++) {
        long[] expected = new long[size.length];
        for (int i = 0; i < size.length; i++) {
          expected[i] = size[i] >> k;
        }
        assertArrayEquals(input(2, FIVE_STAGES[k], expected), features.get(k).shape(), "stage " + k);
      }
      assertArrayEquals(FIVE_STAGES, enc.stageChannels());
      assertEquals(16, enc.downsamplingFactor());
    }
  }

  /** Odd sizes at the bottleneck: 24x40x56 through four stages is 3x5x7. */
  @Test
  void aThreeDimensionalResNet50ReachesAnOddBottleneck() {
    try (ParamStore store = new ParamStore(); StepScope s = StepScope.open()) {
      Encoder enc = encoder(store, Dims.THREE, EncoderKind.RESNET50, new int[] {4, 8, 16, 32}, NormKind.BATCH, 1);
      List<Tensor> features = enc.forward(Tensor.zeros(2, 1, 24, 40, 56), true);
      assertArrayEquals(new long[] {2, 32, 3, 5, 7}, features.get(3).shape());
    }
  }

  /**
   * Expected counts from torch.nn layers built the same way, printed by
   * {@code /usr/bin/python3 src/test/resources/org/medssl/nn/param_counts.py} (PyTorch 1.13).
   */
  @ParameterizedTest(name = "{0}d {1} in={2} {3}")
  @CsvSource(delimiter = ';', value = {
      "2; RESNET18; 1; 4,8,16,32,64; 175324",
      "3; RESNET18; 1; 4,8,16,32,64; 518116",
      "2; RESNET50; 1; 4,8,16,32,64; 24616",
      "3; RESNET50; 2; 4,8,16,32,64; 46900",
      "3; RESNET50; 1; 3,5,6; 524",
      "2; RESNET18; 1; 2,4,6,8,10,12; 12942"})
  void parameterCountsMatchPyTorch(int dims, EncoderKind kind, int inChannels, String channels, long expected) {
    for (NormKind norm : NormKind.values()) {
      try (ParamStore store = new ParamStore()) {
        encoder(store, Dims.of(dims), kind, parseChannels(channels), norm, inChannels);
        assertEquals(expected, store.parameterCount(), norm.name());
      }
    }
  }

  @Test
  void weightsAreNamedByStageAndBlockUnderThePrefix() {
    try (ParamStore store = new ParamStore()) {
      Backbone backbone = new Backbone(Dims.THREE, EncoderKind.RESNET50, FIVE_STAGES, NormKind.BATCH);
      Encoder.create(store, "online.", backbone, 1, new SplittableRandom(1));
      var names = store.named().keySet();
      assertTrue(names.stream().allMatch(n -> n.startsWith("online.stage")), names.toString());
      for (String name : List.of("online.stage0.conv.w", "online.stage0.norm.running_var",
          "online.stage1.block0.shortcut.conv.w", "online.stage3.block5.conv3.w", "online.stage4.block2.norm3.b")) {
        assertTrue(names.contains(name), name);
      }
      assertTrue(!names.contains("online.stage4.block3.conv1.w") && !names.contains("online.stage1.block1.shortcut.conv.w"));
    }
  }

  @ParameterizedTest
  @CsvSource({"RESNET18, INSTANCE", "RESNET50, BATCH", "RESNET50, GROUP"})
  void aGradientReachesEveryWeight(EncoderKind kind, NormKind norm) {
    SplittableRandom rng = new SplittableRandom(7);
    try (ParamStore store = new ParamStore(); StepScope s = StepScope.open()) {
      Encoder enc = encoder(store, Dims.THREE, kind, new int[] {4, 8, 16}, norm, 1);
      List<Tensor> features = enc.forward(NnTesting.gaussian(rng, 2, 1, 8, 12, 8), true);
      NnTesting.randomProjection(features, rng).backward();
      NnTesting.assertEveryParameterHasAGradient(store);
    }
  }

  static int[] parseChannels(String text) {
    return java.util.Arrays.stream(text.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  static long[] input(long n, long c, long[] size) {
    long[] shape = new long[size.length + 2];
    shape[0] = n;
    shape[1] = c;
    System.arraycopy(size, 0, shape, 2, size.length);
    return shape;
  }
}
