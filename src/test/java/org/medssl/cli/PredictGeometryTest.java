package org.medssl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.data.phantom.PhantomDataset;
import org.medssl.image.Affine;
import org.medssl.image.Grid;
import org.medssl.image.LabelMap;
import org.medssl.image.Volume;
import org.medssl.io.nifti.NiftiDataType;
import org.medssl.io.nifti.NiftiImage;
import org.medssl.io.nifti.NiftiReader;
import org.medssl.io.nifti.NiftiWriter;
import org.medssl.testkit.CliRun;
import org.medssl.testkit.Reoriented;

/**
 * predict on scans stored with flipped or oblique axes: the mask comes back on the scan's own
 * grid and affine (re-read from the written file), and a scan that is the same anatomy stored
 * flipped gets the same mask, voxel for voxel in world space.
 */
class PredictGeometryTest {
  @TempDir
  static Path dir;
  static Path model;
  static Volume plain;

  @BeforeAll
  static void trainATinyModel() {
    Path data = dir.resolve("ph");
    PhantomDataset.write(data, 5, 0, 4);
    model = dir.resolve("m.medssl");
    CliRun ft = CliRun.of("finetune", "--data", data.toString(), "--labeled", "2", "--out", model.toString(), "--steps",
        "6", "--batch", "2", "--channels", "4,8", "--validation", "1", "--precision", "fp32");
    assertEquals(0, ft.code(), ft.err());
    plain = NiftiReader.read(data.resolve("imagesTs/phantom_003.nii.gz")).volume();
  }

  @Test
  void aFlippedScanGetsTheSameMaskOnItsOwnGrid() {
    LabelMap plainMask = predict("plain", plain);
    Volume flipped = Reoriented.flipX(plain);
    LabelMap flippedMask = predict("flipped", flipped);
    assertEquals(flipped.grid().shapeString(), flippedMask.grid().shapeString());
    assertTrue(flippedMask.grid().affine().approxEquals(flipped.grid().affine(), 1e-4), flippedMask.grid().toString());
    int[] unflipped = new int[plainMask.labels().length];
    Grid g = plain.grid();
    for (int i = 0; i < unflipped.length; i++) {
      int x = i % g.nx();
      unflipped[i] = flippedMask.labels()[i - x + (g.nx() - 1 - x)];
    }
    assertArrayEquals(plainMask.labels(), unflipped);
  }

  @Test
  void anObliqueScanGetsItsMaskOnItsOwnGridAndAffine() {
    double t = Math.toRadians(30);
    double[] s = plain.grid().spacingMm();
    Affine oblique = new Affine(new double[] {Math.cos(t) * s[0], 0, Math.sin(t) * s[2], 40, 0, s[1], 0, 50,
        -Math.sin(t) * s[0], 0, Math.cos(t) * s[2], -20, 0, 0, 0, 1}); // 30 degrees about y, closest to RAS
    Volume scan = new Volume(new Grid(plain.grid().nx(), plain.grid().ny(), plain.grid().nz(), s, oblique),
        plain.voxels());
    LabelMap mask = predict("oblique", scan);
    assertEquals(scan.grid().shapeString(), mask.grid().shapeString());
    assertTrue(mask.grid().affine().approxEquals(oblique, 1e-4), mask.grid().affine() + " vs " + oblique);
    // Only the axes' order and sign changed for the network, not the voxels: the plain scan's mask.
    assertArrayEquals(predict("plain2", plain).labels(), mask.labels());
  }

  private static LabelMap predict(String name, Volume scan) {
    Path in = dir.resolve(name + ".nii.gz");
    Path out = dir.resolve(name + "-mask.nii.gz");
    NiftiWriter.write(in, scan, null, NiftiDataType.FLOAT32);
    CliRun r = CliRun.of("predict", "--model", model.toString(), "--input", in.toString(), "--output", out.toString(),
        "--precision", "fp32");
    assertEquals(0, r.code(), r.err());
    NiftiImage written = NiftiReader.read(out);
    return written.labels();
  }
}
