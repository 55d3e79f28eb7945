package org.medssl.io.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.medssl.MedsslException;
import org.medssl.image.LabelMap;
import org.medssl.image.Volume;

class NiftiImageTest {

  @Test
  void framesOfA4dImageAreCopiedOutInOrder() {
    NiftiImage image = NiftiReader.read(NiftiFixtures.path("float32_4d.nii.gz"));
    int n = image.grid().size();
    assertEquals(24, n);
    assertArrayEquals(Arrays.copyOfRange(image.data(), 0, n), image.volume(0).voxels());
    assertArrayEquals(Arrays.copyOfRange(image.data(), n, 2 * n), image.volume(1).voxels());
    assertFails(image, () -> image.volume(2), "frame 2 does not exist");
  }

  @Test
  void a4dImageMustBeAskedForAFrame() {
    NiftiImage image = NiftiReader.read(NiftiFixtures.path("float32_4d.nii.gz"));
    assertFails(image, image::volume, "has 2 frames; choose one frame");
    assertFails(image, image::labels, "has 2 frames");
  }

  @Test
  void a3dVolumeSharesTheVoxelsAndTheGrid() {
    NiftiImage image = NiftiReader.read(NiftiFixtures.path("uint8_both.nii"));
    Volume volume = image.volume();
    assertSame(image.data(), volume.voxels());
    assertEquals(image.header().affine(), volume.grid().affine());
    assertEquals(3f, volume.get(0, 0, 0));
    assertEquals(7f, volume.get(1, 0, 0), "x fastest");
    assertEquals(3f + 4 * 5, volume.get(0, 1, 0));
  }

  @Test
  void labelsAreRoundedIntegers() {
    LabelMap labels = NiftiReader.read(NiftiFixtures.path("labels_uint8.nii.gz")).labels();
    assertEquals(3, labels.maxLabel());
    assertEquals(2, labels.get(2, 2, 1));
    assertEquals(1, labels.get(1, 1, 0));
    assertEquals(0, labels.get(0, 0, 0));
  }

  @Test
  void nearIntegersAreLabelsButFractionsAreNot() {
    NiftiImage base = NiftiReader.read(NiftiFixtures.path("labels_uint8.nii.gz"));
    float[] noisy = base.data().clone();
    noisy[0] = 2.0004f;
    assertEquals(2, new NiftiImage(base.header(), noisy, "noisy.nii").labels().labels()[0]);
    noisy[0] = 1.5f;
    NiftiImage fractional = new NiftiImage(base.header(), noisy, "frac.nii");
    assertFails(fractional, fractional::labels, "not a label map: voxel (0, 0, 0) is 1.5");
    noisy[0] = Float.NaN;
    NiftiImage nan = new NiftiImage(base.header(), noisy, "nan.nii");
    assertFails(nan, nan::labels, "not a label map");
  }

  @Test
  void describeSummarisesTheFile() {
    Path file = NiftiFixtures.path("int16_scaled_qform.nii.gz");
    String text = NiftiReader.read(file).describe(file);
    for (String expected : new String[] {"NIfTI-1, little-endian", "int16 (code 4)", "5x4x3",
        "1.5 x 2 x 2.5 mm", "RAS", "qform        code 1 scanner", "sform        code 0",
        "from qform", "slope 0.5, inter -10", "min -110, max 96.5, mean -6.75", "NaN 0"}) {
      assertTrue(text.contains(expected), "missing \"" + expected + "\" in\n" + text);
    }
    Path nan = NiftiFixtures.path("float32_nan_coronal.nii.gz");
    String nanText = NiftiReader.read(nan).describe(nan);
    assertTrue(nanText.contains("NaN 1, infinite 2"), nanText);
    assertTrue(nanText.contains("LSA"), nanText);
    assertTrue(nanText.contains("none (slope 1, inter 0)"), nanText);
  }

  private static void assertFails(NiftiImage image, Runnable action, String expected) {
    MedsslException e = assertThrows(MedsslException.class, action::run);
    assertTrue(e.getMessage().startsWith(image.source() + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
