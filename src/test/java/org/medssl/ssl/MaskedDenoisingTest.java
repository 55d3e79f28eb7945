package org.medssl.ssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medssl.augment.ViewRecipe;
import org.medssl.data.PretrainImages;
import org.medssl.nn.Backbone;
import org.medssl.nn.Dims;
import org.medssl.nn.EncoderKind;
import org.medssl.nn.NormKind;
import org.medssl.tensor.Precision;
import org.medssl.tensor.StepScope;
import org.medssl.tensor.Tensor;
import org.medssl.train.MixedPrecision;

class MaskedDenoisingTest {

  @Test
  void stratifiedMaskPutsOnePixelInEveryBox() {
    int h = 70;
    int w = 70;
    int[] mask = MaskedDenoising.stratifiedMask(h, w, 0.02, new SplittableRandom(4));
    // side = round(sqrt(50)) = 7: a 10 x 10 lattice of boxes, one pixel each, about 2 % of pixels.
    assertEquals(100, mask.length);
    Set<Integer> boxes = new HashSet<>();
    for (int p : mask) {
      boxes.add((p / w) / 7 * 10 + (p % w) / 7);
    }
    assertEquals(100, boxes.size());
    assertEquals(0.02, mask.length / (double) (h * w), 0.001);
  }

  @Test
  void l1CountsOnlyMaskedPixels() {
    try (StepScope s = StepScope.open()) {
      Tensor pred = Tensor.of(new float[] {1, 5, 3, 9}, 1, 1, 2, 2);
      Tensor target = Tensor.of(new float[] {0, 0, 0, 0}, 1, 1, 2, 2);
      Tensor mask = Tensor.of(new float[] {1, 0, 1, 0}, 1, 1, 2, 2);
      assertEquals(2.0, MaskedDenoising.maskedL1(pred, target, mask).item(), 1e-6);
    }
  }

  @Test
  void blockMasksAreSquareBlocksCoveringTheFraction() {
    int h = 128;
    int w = 128;
    int[] mask = MaskedDenoising.blockMask(h, w, 0.25, 8, new SplittableRandom(5));
    // cell side round(8 / 0.5) = 16: an 8 x 8 lattice of cells with one 8 x 8 block each.
    assertEquals(0.25, mask.length / (double) (h * w), 1e-9);
    assertEquals(mask.length, java.util.Arrays.stream(mask).distinct().count());
    int[][] box = new int[64][] ;
    for (int p : mask) {
      int y = p / w;
      int x = p % w;
      int cell = (y / 16) * 8 + x / 16;
      int[] b = box[cell] == null ? (box[cell] = new int[] {y, y, x, x}) : box[cell];
      b[0] = Math.min(b[0], y);
      b[1] = Math.max(b[1], y);
      b[2] = Math.min(b[2], x);
      b[3] = Math.max(b[3], x);
    }
    for (int[] b : box) {
      assertEquals(7, b[1] - b[0], "block height");
      assertEquals(7, b[3] - b[2], "block width");
    }
    // Clipped at ragged edges, and never outside the slice.
    int[] ragged = MaskedDenoising.blockMask(37, 45, 0.25, 8, new SplittableRandom(6));
    assertTrue(java.util.Arrays.stream(ragged).allMatch(p -> p >= 0 && p < 37 * 45));
    assertTrue(ragged.length > 0.1 * 37 * 45 && ragged.length <= 0.3 * 37 * 45, "fraction " + ragged.length / (37.0 * 45));
  }

  private static final Backbone TINY = new Backbone(Dims.TWO, EncoderKind.UNET, new int[] {2, 4}, NormKind.INSTANCE);

  /** The axial slices of one smooth 32 x 32 x 4 volume. */
  private static PretrainImages smoothSlices() {
    return new PretrainImages(List.of(PglTest.smoothVolume(32, 32, 4, new SplittableRandom(8))), 2);
  }

  @Test
  void inputsHideBlocksUnderNoiseAndKeepTheRest() {
    org.medssl.tensor.Engine.init(1);
    PretrainImages images = smoothSlices();
    MaskedDenoising.Config config = new MaskedDenoising.Config(0.25, 8, ViewRecipe.mildSpatial(), false);
    try (MaskedDenoising m = new MaskedDenoising(TINY, config, new SplittableRandom(1))) {
      PretextBatch b = m.inputs(images, 2, new int[] {32, 32}, new SplittableRandom(2));
      float[] masked = b.inputs().get(0);
      float[] mask = b.inputs().get(1);
      float[] target = b.inputs().get(2);
      int count = 0;
      for (int i = 0; i < mask.length; i++) {
        if (mask[i] == 1) {
          count++;
          assertTrue(masked[i] != target[i]);
        } else {
          assertEquals(target[i], masked[i]);
        }
      }
      assertEquals(0.25, count / (double) mask.length, 1e-9);
    }
  }

  @Test
  void restoringAsksForTheViewBeforeItsIntensityCurveAndItsLossCoversEveryPixel() {
    org.medssl.tensor.Engine.init(1);
    PretrainImages images = smoothSlices();
    // Every view remapped, no flips.
    ViewRecipe views = ViewRecipe.mildSpatial().withFlips(false).withRemap(1.0);
    MaskedDenoising.Config restore = new MaskedDenoising.Config(0.25, 8, views, true);
    MaskedDenoising.Config plain = new MaskedDenoising.Config(0.25, 8, views, false);
    try (MaskedDenoising r = new MaskedDenoising(TINY, restore, new SplittableRandom(1));
        MaskedDenoising p = new MaskedDenoising(TINY, plain, new SplittableRandom(1))) {
      PretextBatch restoring = r.inputs(images, 2, new int[] {32, 32}, new SplittableRandom(2));
      PretextBatch inpainting = p.inputs(images, 2, new int[] {32, 32}, new SplittableRandom(2));
      // The same draws: the same masked input and mask; only the target differs.
      assertArrayEquals(inpainting.inputs().get(0), restoring.inputs().get(0));
      assertArrayEquals(inpainting.inputs().get(1), restoring.inputs().get(1));
      // The first sample's view drawn again: plain inpainting's target is the remapped view,
      // restoration's the same crop before the curve.
      SplittableRandom again = new SplittableRandom(2);
      ViewRecipe.View first = views.sample(images.random(again), 32, 32, again);
      assertArrayEquals(first.data().image(), java.util.Arrays.copyOf(inpainting.inputs().get(2), 32 * 32));
      assertArrayEquals(first.beforeIntensity().image(), java.util.Arrays.copyOf(restoring.inputs().get(2), 32 * 32));
      assertFalse(java.util.Arrays.equals(first.data().image(), first.beforeIntensity().image()), "the curve changed it");
      // On the same batch and weights the restoring loss adds the unmasked pixels' error.
      MixedPrecision amp = new MixedPrecision(Precision.FP32);
      try (StepScope scope = StepScope.open()) {
        double restoringLoss = r.loss(restoring, amp).loss().item();
        double inpaintingOnly = p.loss(restoring, amp).loss().item();
        assertTrue(restoringLoss > inpaintingOnly + 1e-4, restoringLoss + " vs " + inpaintingOnly);
      }
    }
  }

  @Test
  void restorationEntersTheFingerprintOnlyWhenOn() {
    String off = MethodOptions.defaults().fingerprint(MaskedDenoising.SPEC.options());
    String on = MethodOptions.defaults().with(MaskedDenoising.RESTORE_INTENSITY, true)
        .fingerprint(MaskedDenoising.SPEC.options());
    assertFalse(off.contains("restoreIntensity"), off);
    assertEquals(off + ",restoreIntensity=true", on);
  }

  @Test
  void restorationLossSumsTheMaskedAndTheUnmaskedMeans() {
    org.medssl.tensor.Engine.init(1);
    try (StepScope scope = StepScope.open()) {
      Tensor target = Tensor.of(new float[] {0, 0, 0, 0}, 1, 1, 2, 2);
      Tensor mask = Tensor.of(new float[] {1, 0, 0, 0}, 1, 1, 2, 2);
      // Exact on the masked pixel, off by 2 on each unmasked one.
      Tensor prediction = Tensor.of(new float[] {0, 2, -2, 2}, 1, 1, 2, 2);
      assertEquals(0.0, MaskedDenoising.maskedL1(prediction, target, mask).item(), 1e-6);
      assertEquals(2.0, MaskedDenoising.restorationL1(prediction, target, mask).item(), 1e-6);
      // Off by 4 on the masked pixel only: the masked mean 4, the unmasked 0 (one masked pixel
      // weighs what the three unmasked ones do together).
      Tensor other = Tensor.of(new float[] {4, 0, 0, 0}, 1, 1, 2, 2);
      assertEquals(4.0, MaskedDenoising.restorationL1(other, target, mask).item(), 1e-6);
    }
  }
}
