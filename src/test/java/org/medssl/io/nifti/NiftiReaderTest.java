package org.medssl.io.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.medssl.io.nifti.NiftiFixtures.affine;
import static org.medssl.io.nifti.NiftiFixtures.assertAffine;
import static org.medssl.io.nifti.NiftiFixtures.assertClose;
import static org.medssl.io.nifti.NiftiFixtures.doubles;
import static org.medssl.io.nifti.NiftiFixtures.longs;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.medssl.image.Grid;
import org.medssl.image.Orientation;

/** Every nibabel-written fixture read back and compared with nibabel's own reading. */
class NiftiReaderTest {

  static List<String> stems() {
    return NiftiFixtures.stems();
  }

  @ParameterizedTest
  @MethodSource("stems")
  void headerFieldsMatchNibabel(String stem) {
    JsonNode e = NiftiFixtures.sidecar(stem);
    NiftiHeader h = NiftiReader.readHeader(NiftiFixtures.imagePath(stem));
    assertEquals(e.get("version").asInt(), h.version());
    assertEquals(e.get("endianness").asText().equals(">") ? ByteOrder.BIG_ENDIAN
        : ByteOrder.LITTLE_ENDIAN, h.byteOrder());
    assertEquals(e.get("datatype").asInt(), h.datatype().code());
    assertEquals(e.get("bitpix").asInt(), h.bitpix());
    assertArrayEquals(longs(e.get("dim")), h.dim());
    assertArrayEquals(doubles(e.get("pixdim")), h.pixdim());
    assertEquals(e.get("vox_offset").asLong(), h.voxOffset());
    assertEquals(e.get("scl_slope").asDouble(), h.sclSlope());
    assertEquals(e.get("scl_inter").asDouble(), h.sclInter());
    assertEquals(e.get("xyzt_units").asInt(), h.xyztUnits());
    assertEquals(e.get("intent_code").asInt(), h.intentCode());
    assertEquals(e.get("descrip").asText(), h.descrip());
    assertEquals(e.get("qform_code").asInt(), h.qformCode());
    assertEquals(e.get("sform_code").asInt(), h.sformCode());
    assertArrayEquals(doubles(e.get("quatern")),
        new double[] {h.quaternB(), h.quaternC(), h.quaternD()});
    assertArrayEquals(doubles(e.get("qoffset")),
        new double[] {h.qoffsetX(), h.qoffsetY(), h.qoffsetZ()});
    assertArrayEquals(doubles(e.get("srow").get(0)), h.srowX());
    assertArrayEquals(doubles(e.get("srow").get(1)), h.srowY());
    assertArrayEquals(doubles(e.get("srow").get(2)), h.srowZ());
  }

  @ParameterizedTest
  @MethodSource("stems")
  void affinesMatchNibabel(String stem) {
    JsonNode e = NiftiFixtures.sidecar(stem);
    NiftiHeader h = NiftiReader.readHeader(NiftiFixtures.imagePath(stem));
    assertAffine(affine(e.get("affine")), h.affine(), 1e-9, "best affine");
    assertAffine(affine(e.get("qform")), h.qformAffine(), 1e-9, "qform");
    assertAffine(affine(e.get("sform")), h.sformAffine(), 0, "sform");
    assertEquals(e.get("axcodes").asText(), Orientation.axisCodes(h.affine()));
  }

  @ParameterizedTest
  @MethodSource("stems")
  void gridAndFramesFollowTheShape(String stem) {
    JsonNode e = NiftiFixtures.sidecar(stem);
    NiftiImage image = NiftiReader.read(NiftiFixtures.imagePath(stem));
    long[] shape = longs(e.get("shape"));
    Grid grid = image.grid();
    for (int axis = 0; axis < 3; axis++) {
      assertEquals(axis < shape.length ? shape[axis] : 1, grid.dim(axis), "axis " + axis);
      assertEquals(Math.abs(e.get("pixdim").get(axis + 1).asDouble()), grid.spacing(axis));
    }
    long frames = 1;
    for (int axis = 3; axis < shape.length; axis++) {
      frames *= shape[axis];
    }
    assertEquals(frames, image.frames());
    assertEquals(grid.size() * frames, image.data().length);
    assertEquals(image.header().affine(), grid.affine());
  }

  @ParameterizedTest
  @MethodSource("stems")
  void voxelsMatchNibabelAfterScaling(String stem) {
    JsonNode e = NiftiFixtures.sidecar(stem);
    float[] data = NiftiReader.read(NiftiFixtures.imagePath(stem)).data();
    double[] expected = doubles(e.get("data"));
    assertEquals(expected.length, data.length);
    for (int i = 0; i < expected.length; i++) {
      assertClose(expected[i], data[i], 1e-6, stem + " voxel " + i);
    }
  }

  @ParameterizedTest
  @MethodSource("stems")
  void summaryStatisticsMatchNibabel(String stem) {
    JsonNode e = NiftiFixtures.sidecar(stem);
    float[] data = NiftiReader.read(NiftiFixtures.imagePath(stem)).data();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    int nan = 0;
    int inf = 0;
    for (float v : data) {
      if (Float.isNaN(v)) {
        nan++;
      } else if (Float.isInfinite(v)) {
        inf++;
      } else {
        min = Math.min(min, v);
        max = Math.max(max, v);
        sum += v;
      }
    }
    assertClose(e.get("finite_min").asDouble(), min, 1e-6, "min");
    assertClose(e.get("finite_max").asDouble(), max, 1e-6, "max");
    assertClose(e.get("finite_sum").asDouble(), sum, 1e-6, "sum");
    assertEquals(e.get("nan_count").asInt(), nan);
    assertEquals(e.get("inf_count").asInt(), inf);
  }

  @ParameterizedTest
  @MethodSource("stems")
  void readHeaderGivesTheSameHeaderAsRead(String stem) {
    assertEquals(NiftiReader.read(NiftiFixtures.imagePath(stem)).header(),
        NiftiReader.readHeader(NiftiFixtures.imagePath(stem)));
  }

  @Test
  void fixturesCoverWhatTheReaderPromises() {
    List<JsonNode> all = stems().stream().map(NiftiFixtures::sidecar).toList();
    Set<NiftiDataType> types = all.stream()
        .map(e -> NiftiDataType.fromCode(e.get("datatype").asInt(), "fixture"))
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(NiftiDataType.class)));
    assertEquals(EnumSet.allOf(NiftiDataType.class), types, "every datatype");
    assertEquals(Set.of(1, 2), values(all, "version"));
    assertEquals(Set.of("<", ">"), texts(all, "endianness"));
    assertEquals(Set.of(true, false), all.stream().map(e -> e.get("gzip").asBoolean())
        .collect(Collectors.toSet()));
    assertEquals(Set.of(2, 3, 4), all.stream().map(e -> e.get("shape").size())
        .collect(Collectors.toSet()));
    Set<String> forms = all.stream().map(e -> (e.get("qform_code").asInt() > 0 ? "q" : "")
        + (e.get("sform_code").asInt() > 0 ? "s" : "")).collect(Collectors.toSet());
    assertEquals(Set.of("", "q", "s", "qs"), forms, "no form, qform only, sform only, both");
  }

  @Test
  void scaledInt16AppliesSlopeAndIntercept() {
    NiftiImage image = NiftiReader.read(NiftiFixtures.path("int16_scaled_qform.nii.gz"));
    // raw value at voxel 0 is -200 (see make_fixtures.py): -200 * 0.5 - 10
    assertEquals(-110f, image.data()[0]);
    assertEquals(-110f + 3.5f, image.data()[1]);
  }

  @Test
  void fourDimensionalDataIsXFastestThenFrames() {
    NiftiImage image = NiftiReader.read(NiftiFixtures.path("nifti2_4d_int16_bigendian.nii.gz"));
    assertEquals(2, image.frames());
    // raw ramp i*3 - 30 in x-fastest order across both frames, scaled by 2 and offset 1
    for (int i = 0; i < image.data().length; i++) {
      assertEquals((i * 3 - 30) * 2 + 1, image.data()[i], "voxel " + i);
    }
    assertEquals(image.data()[24], image.volume(1).get(0, 0, 0));
  }

  @Test
  void extensionsBeforeTheVoxelsAreSkipped() {
    for (String file : new String[] {"uint8_extension.nii", "uint8_extension_gz.nii.gz"}) {
      NiftiImage image = NiftiReader.read(NiftiFixtures.path(file));
      assertEquals(400, image.header().voxOffset());
      assertEquals(1f, image.data()[0], file);
      assertEquals(3f, image.data()[1], file);
    }
  }

  @Test
  void gzipIsDetectedByContentNotName(@TempDir Path dir) throws Exception {
    Path misnamed = dir.resolve("really_gzip.nii");
    Files.copy(NiftiFixtures.path("int8_sform_lps.nii.gz"), misnamed);
    assertArrayEquals(NiftiReader.read(NiftiFixtures.path("int8_sform_lps.nii.gz")).data(),
        NiftiReader.read(misnamed).data());
  }

  private static Set<Integer> values(List<JsonNode> all, String key) {
    return all.stream().map(e -> e.get(key).asInt()).collect(Collectors.toSet());
  }

  private static Set<String> texts(List<JsonNode> all, String key) {
    return all.stream().map(e -> e.get(key).asText()).collect(Collectors.toSet());
  }
}
