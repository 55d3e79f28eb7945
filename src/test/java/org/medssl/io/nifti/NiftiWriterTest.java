package org.medssl.io.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medssl.io.nifti.NiftiFixtures.affine;
import static org.medssl.io.nifti.NiftiFixtures.assertAffine;
import static org.medssl.io.nifti.NiftiFixtures.doubles;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.medssl.MedsslException;
import org.medssl.image.Affine;
import org.medssl.image.Grid;
import org.medssl.image.LabelMap;
import org.medssl.image.Volume;

class NiftiWriterTest {

  /** The oblique affine of make_fixtures.py, as nibabel stored it in a fixture's sform. */
  private static final Affine OBLIQUE =
      NiftiReader.readHeader(NiftiFixtures.path("uint16_oblique.nii")).sformAffine();

  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(NiftiDataType.class)
  void everyDatatypeRoundTripsExactly(NiftiDataType type) {
    Volume volume = ramp(grid(OBLIQUE), type.isInteger() && type.minValue() == 0 ? 0 : -30, 1);
    Path file = dir.resolve("ramp_" + type + ".nii");
    NiftiWriter.write(file, volume, null, type);
    NiftiImage back = NiftiReader.read(file);
    assertEquals(type, back.header().datatype());
    assertEquals(type.bitpix(), back.header().bitpix());
    assertFalse(back.header().hasScaling() && back.header().sclSlope() != 1);
    assertArrayEquals(volume.voxels(), back.data());
  }

  @Test
  void gzipRoundTripAndContentIsReallyGzip() throws IOException {
    Volume volume = ramp(grid(OBLIQUE), -5, 0.25f);
    Path gz = dir.resolve("v.nii.gz");
    Path plain = dir.resolve("v.nii");
    NiftiWriter.write(gz, volume, null, NiftiDataType.FLOAT32);
    NiftiWriter.write(plain, volume, null, NiftiDataType.FLOAT32);
    byte[] head = Files.readAllBytes(gz);
    assertEquals(0x1f, head[0] & 0xff);
    assertEquals(0x8b, head[1] & 0xff);
    assertEquals(348, ByteBuffer.wrap(Files.readAllBytes(plain))
        .order(ByteOrder.LITTLE_ENDIAN).getInt(0), "little-endian sizeof_hdr");
    assertArrayEquals(volume.voxels(), NiftiReader.read(gz).data());
    assertEquals(NiftiReader.read(plain).header(), NiftiReader.read(gz).header());
  }

  @Test
  void withoutTemplateGeometryIsNibabelsDefault() {
    Path file = dir.resolve("default.nii");
    NiftiWriter.write(file, ramp(grid(OBLIQUE), 0, 1), null, NiftiDataType.FLOAT32);
    NiftiHeader h = NiftiReader.readHeader(file);
    assertEquals(1, h.version());
    assertEquals(2, h.sformCode(), "sform aligned, as nibabel's Nifti1Image(data, affine)");
    assertEquals(0, h.qformCode(), "qform unknown, as nibabel's Nifti1Image(data, affine)");
    assertEquals(2 | 8, h.xyztUnits());
    assertEquals(352, h.voxOffset());
    assertAffine(OBLIQUE, h.affine(), 1e-6, "sform");
    assertAffine(OBLIQUE, h.qformAffine(), 1e-5, "qform parameters are filled in too");
  }

  @Test
  void qformFromAffineMatchesNibabelSetQform() {
    for (JsonNode c : NiftiFixtures.json("qform_from_affine.json")) {
      String name = c.get("name").asText();
      Qform q = Qform.fromAffine(affine(c.get("affine")));
      double[] pixdim = doubles(c.get("pixdim"));
      assertEquals(pixdim[0], q.qfac(), name + " qfac");
      assertArrayEquals(new double[] {pixdim[1], pixdim[2], pixdim[3]}, q.zooms(), 1e-6, name);
      assertArrayEquals(doubles(c.get("qoffset")), q.offset(), 1e-6, name);
      double[] expected = doubles(c.get("quatern"));
      double[] actual = {q.b(), q.c(), q.d()};
      if (Math.abs(1 - dot(expected, expected)) < 1e-6) { // w = 0: q and -q are the same rotation
        actual = sameSignAs(expected, actual);
      }
      assertArrayEquals(expected, actual, 1e-6, name + " quaternion");
      // nibabel's qform went through the float32 fields of a NIfTI-1 header; so must ours.
      Qform stored = new Qform((float) q.b(), (float) q.c(), (float) q.d(), q.qfac(),
          toFloat(q.zooms()), toFloat(q.offset()));
      assertAffine(affine(c.get("qform")), stored.toAffine(), 1e-6, name + " qform");
    }
  }

  @Test
  void writtenQformMatchesTheNibabelWrittenFixture() {
    // float32_nan_coronal.nii.gz was written by nibabel as Nifti1Image(data, CORONAL).
    NiftiHeader nibabel = NiftiReader.readHeader(NiftiFixtures.path("float32_nan_coronal.nii.gz"));
    Path file = dir.resolve("coronal.nii");
    NiftiWriter.write(file, ramp(nibabel.grid(), 0, 1), null, NiftiDataType.FLOAT32);
    NiftiHeader ours = NiftiReader.readHeader(file);
    assertEquals(nibabel.qformCode(), ours.qformCode());
    assertEquals(nibabel.sformCode(), ours.sformCode());
    assertArrayEquals(nibabel.pixdim(), ours.pixdim());
    assertArrayEquals(new double[] {nibabel.quaternB(), nibabel.quaternC(), nibabel.quaternD()},
        new double[] {ours.quaternB(), ours.quaternC(), ours.quaternD()}, 1e-7);
    assertAffine(nibabel.sformAffine(), ours.sformAffine(), 0, "sform");
  }

  @Test
  void templateGeometryIsKeptExactly() {
    NiftiImage source = NiftiReader.read(NiftiFixtures.path("float64_flipped.nii"));
    NiftiHeader template = source.header();
    Path file = dir.resolve("kept.nii.gz");
    NiftiWriter.write(file, source.volume(), template, NiftiDataType.FLOAT32);
    NiftiHeader h = NiftiReader.readHeader(file);
    assertEquals(template.qformCode(), h.qformCode());
    assertEquals(template.sformCode(), h.sformCode());
    assertEquals(template.quaternB(), h.quaternB());
    assertEquals(template.quaternC(), h.quaternC());
    assertEquals(template.quaternD(), h.quaternD());
    assertEquals(template.qoffsetX(), h.qoffsetX());
    assertArrayEquals(template.srowX(), h.srowX());
    assertArrayEquals(template.srowZ(), h.srowZ());
    assertEquals(-1, h.pixdim()[0], "qfac kept");
    assertEquals(template.affine(), h.affine());
    assertEquals(template.qformAffine(), h.qformAffine());
  }

  @Test
  void movedGridReplacesTemplateGeometryButKeepsItsCodes() {
    NiftiHeader template = NiftiReader.readHeader(NiftiFixtures.path("float64_flipped.nii"));
    Affine a = template.affine();
    double[] m = a.rowMajor();
    double[] shift = a.apply(1, 1, 0); // crop one voxel off the low x and y ends
    m[3] = shift[0];
    m[7] = shift[1];
    m[11] = shift[2];
    Affine cropped = new Affine(m);
    Grid grid = new Grid(3, 2, 3, template.grid().spacingMm(), cropped);
    Path file = dir.resolve("cropped.nii");
    NiftiWriter.write(file, ramp(grid, 0, 1), template, NiftiDataType.FLOAT32);
    NiftiHeader h = NiftiReader.readHeader(file);
    assertEquals(template.qformCode(), h.qformCode());
    assertEquals(template.sformCode(), h.sformCode());
    assertAffine(cropped, h.sformAffine(), 1e-4, "sform from the grid");
    assertAffine(cropped, h.qformAffine(), 1e-4, "qform from the grid");
    assertNotEquals(template.qoffsetX(), h.qoffsetX());
  }

  @Test
  void templateWithoutFormsGetsAnSformFromTheGrid() {
    NiftiImage source = NiftiReader.read(NiftiFixtures.path("int32_noform.nii"));
    Path file = dir.resolve("formless.nii");
    NiftiWriter.write(file, source.volume(), source.header(), NiftiDataType.INT32);
    NiftiHeader h = NiftiReader.readHeader(file);
    assertEquals(2, h.sformCode(), "a shape-dependent base affine is made explicit");
    assertAffine(source.header().affine(), h.affine(), 1e-6, "same world position");
    assertArrayEquals(source.data(), NiftiReader.read(file).data());
  }

  @Test
  void nifti2TemplateWritesNifti2() {
    NiftiImage source = NiftiReader.read(NiftiFixtures.path("nifti2_float32.nii"));
    Path file = dir.resolve("two.nii.gz");
    NiftiWriter.write(file, source.volume(), source.header(), NiftiDataType.FLOAT32);
    NiftiImage back = NiftiReader.read(file);
    assertEquals(2, back.header().version());
    assertEquals(544, back.header().voxOffset());
    assertEquals("medssl nifti2 fixture", back.header().descrip());
    assertArrayEquals(source.data(), back.data());
    assertEquals(source.header().affine(), back.header().affine(), "float64 fields kept exactly");
  }

  @Test
  void fourDimensionalRoundTrip() {
    NiftiImage source = NiftiReader.read(NiftiFixtures.path("float32_4d.nii.gz"));
    Path file = dir.resolve("four.nii.gz");
    NiftiWriter.writeFrames(file, List.of(source.volume(0), source.volume(1)), source.header(),
        NiftiDataType.FLOAT32);
    NiftiImage back = NiftiReader.read(file);
    assertEquals(4, back.header().ndim());
    assertEquals(2, back.frames());
    assertEquals(2.5, back.header().pixdim()[4], "TR kept from the template");
    assertArrayEquals(source.data(), back.data());
  }

  @Test
  void fractionalValuesInIntegerTypesAreScaled() {
    Volume volume = ramp(grid(OBLIQUE), -1000.3f, 33.7f);
    Path file = dir.resolve("scaled.nii");
    NiftiWriter.write(file, volume, null, NiftiDataType.INT16);
    NiftiImage back = NiftiReader.read(file);
    double slope = back.header().sclSlope();
    assertTrue(back.header().hasScaling() && slope != 1, "slope " + slope);
    for (int i = 0; i < volume.voxels().length; i++) {
      assertEquals(volume.voxels()[i], back.data()[i], slope * 0.51 + 1e-3, "voxel " + i);
    }
  }

  @Test
  void nanCannotBeStoredInIntegers() {
    float[] v = ramp(grid(OBLIQUE), 0, 1).voxels();
    v[3] = Float.NaN;
    Path file = dir.resolve("nan.nii");
    Volume volume = new Volume(grid(OBLIQUE), v);
    MedsslException e = assertThrows(MedsslException.class,
        () -> NiftiWriter.write(file, volume, null, NiftiDataType.UINT8));
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertTrue(Files.notExists(file));
    NiftiWriter.write(file, volume, null, NiftiDataType.FLOAT32); // floats keep NaN
    assertTrue(Float.isNaN(NiftiReader.read(file).data()[3]));
  }

  @Test
  void labelsPickTheSmallestType() {
    Grid grid = grid(OBLIQUE);
    int[] small = new int[grid.size()];
    small[7] = 3;
    small[8] = 255;
    int[] large = small.clone();
    large[9] = 300;
    Path a = dir.resolve("small.nii.gz");
    Path b = dir.resolve("large.nii.gz");
    NiftiWriter.writeLabels(a, new LabelMap(grid, small), null);
    NiftiWriter.writeLabels(b, new LabelMap(grid, large), null);
    assertEquals(NiftiDataType.UINT8, NiftiReader.readHeader(a).datatype());
    assertEquals(NiftiDataType.INT16, NiftiReader.readHeader(b).datatype());
    assertArrayEquals(small, NiftiReader.read(a).labels().labels());
    assertArrayEquals(large, NiftiReader.read(b).labels().labels());
  }

  @Test
  void labelFixtureRoundTripsWithItsTemplate() {
    NiftiImage source = NiftiReader.read(NiftiFixtures.path("labels_uint8.nii.gz"));
    Path file = dir.resolve("labels.nii.gz");
    NiftiWriter.writeLabels(file, source.labels(), source.header());
    NiftiImage back = NiftiReader.read(file);
    assertArrayEquals(source.data(), back.data());
    assertEquals(source.header().sformCode(), back.header().sformCode());
    assertEquals(source.header().affine(), back.header().affine());
  }

  @Test
  void overwritesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
    Path file = dir.resolve("out.nii.gz");
    NiftiWriter.write(file, ramp(grid(OBLIQUE), 0, 1), null, NiftiDataType.FLOAT32);
    NiftiWriter.write(file, ramp(grid(OBLIQUE), 100, 1), null, NiftiDataType.FLOAT32);
    assertEquals(100f, NiftiReader.read(file).data()[0]);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void framesOnDifferentGridsAreRefused() {
    Path file = dir.resolve("mixed.nii");
    Volume a = ramp(grid(OBLIQUE), 0, 1);
    Volume b = ramp(Grid.of(5, 4, 3, 1, 1, 1), 0, 1);
    MedsslException e = assertThrows(MedsslException.class,
        () -> NiftiWriter.writeFrames(file, List.of(a, b), null, NiftiDataType.FLOAT32));
    assertTrue(e.getMessage().startsWith(file.toString()));
  }

  private static Grid grid(Affine affine) {
    return new Grid(5, 4, 3, affine.columnNorms(), affine);
  }

  private static Volume ramp(Grid grid, float start, float step) {
    float[] v = new float[grid.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = start + step * i;
    }
    return new Volume(grid, v);
  }

  private static void assertFalse(boolean condition) {
    assertTrue(!condition);
  }

  private static double[] toFloat(double[] v) {
    return new double[] {(float) v[0], (float) v[1], (float) v[2]};
  }

  private static double dot(double[] a, double[] b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  }

  private static double[] sameSignAs(double[] reference, double[] q) {
    return dot(reference, q) < 0 ? new double[] {-q[0], -q[1], -q[2]} : q;
  }
}
