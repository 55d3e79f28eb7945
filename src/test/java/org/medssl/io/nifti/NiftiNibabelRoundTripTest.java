package org.medssl.io.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.medssl.io.nifti.NiftiFixtures.affine;
import static org.medssl.io.nifti.NiftiFixtures.assertAffine;
import static org.medssl.io.nifti.NiftiFixtures.assertClose;
import static org.medssl.io.nifti.NiftiFixtures.doubles;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.image.Affine;
import org.medssl.image.Grid;
import org.medssl.image.Volume;

/**
 * Files written by NiftiWriter, read by nibabel. Optional: skipped when /usr/bin/python3 or its
 * nibabel is missing, since the committed fixtures already pin the reader to nibabel.
 */
class NiftiNibabelRoundTripTest {

  private static final String PYTHON = "/usr/bin/python3";
  private static final String READ_WITH_NIBABEL = String.join("\n",
      "import json, sys",
      "import nibabel as nib",
      "out = []",
      "for path in sys.argv[1:]:",
      "    img = nib.load(path)",
      "    q, qcode = img.header.get_qform(coded=True)",
      "    s, scode = img.header.get_sform(coded=True)",
      "    out.append({'version': 2 if isinstance(img, nib.Nifti2Image) else 1,",
      "                'shape': list(img.shape), 'affine': img.affine.tolist(),",
      "                'qform_code': int(qcode), 'sform_code': int(scode),",
      "                'datatype': int(img.header['datatype']),",
      "                'data': img.get_fdata().ravel(order='F').tolist()})",
      "json.dump(out, sys.stdout)");

  @TempDir
  Path dir;

  @BeforeAll
  static void requireNibabel() throws InterruptedException {
    assumeTrue(run(List.of(PYTHON, "-c", "import nibabel")) != null, "python3 with nibabel");
  }

  @Test
  void nibabelReadsWhatWeWrite() throws InterruptedException {
    List<Path> files = new ArrayList<>();
    Affine sheared = new Affine(new double[] {1, 0.3, 0, -5, 0, 1.1, 0.2, 6, 0.1, 0, 2, -7,
        0, 0, 0, 1});
    Grid grid = new Grid(5, 4, 3, sheared.columnNorms(), sheared);
    files.add(write("float32_sheared.nii.gz", ramp(grid, -3.25f, 0.5f), null,
        NiftiDataType.FLOAT32));
    files.add(write("int16_scaled.nii", ramp(grid, -1000.3f, 33.7f), null, NiftiDataType.INT16));
    files.add(write("uint32.nii.gz", ramp(grid, 4e9f, -1e7f), null, NiftiDataType.UINT32));
    NiftiImage flipped = NiftiReader.read(NiftiFixtures.path("float64_flipped.nii"));
    files.add(write("kept_template.nii", flipped.volume(), flipped.header(),
        NiftiDataType.FLOAT64));
    NiftiImage two = NiftiReader.read(NiftiFixtures.path("nifti2_float32.nii"));
    Path four = dir.resolve("nifti2_4d.nii.gz");
    NiftiWriter.writeFrames(four, List.of(two.volume(), two.volume()), two.header(),
        NiftiDataType.FLOAT32);
    files.add(four);
    Path labels = dir.resolve("labels.nii.gz");
    NiftiWriter.writeLabels(labels,
        NiftiReader.read(NiftiFixtures.path("labels_uint8.nii.gz")).labels(), null);
    files.add(labels);

    List<String> command = new ArrayList<>(List.of(PYTHON, "-c", READ_WITH_NIBABEL));
    files.forEach(f -> command.add(f.toString()));
    String json = run(command);
    assumeTrue(json != null, "nibabel could not be run");
    JsonNode results = readJson(json);
    for (int i = 0; i < files.size(); i++) {
      compare(files.get(i), results.get(i));
    }
  }

  private static void compare(Path file, JsonNode nib) {
    NiftiImage ours = NiftiReader.read(file);
    String name = file.getFileName().toString();
    assertEquals(ours.header().version(), nib.get("version").asInt(), name);
    assertEquals(ours.header().datatype().code(), nib.get("datatype").asInt(), name);
    assertEquals(ours.header().qformCode(), nib.get("qform_code").asInt(), name);
    assertEquals(ours.header().sformCode(), nib.get("sform_code").asInt(), name);
    assertEquals(ours.header().shapeString(), String.join("x", shape(nib)), name);
    assertAffine(affine(nib.get("affine")), ours.header().affine(), 1e-9, name);
    double[] data = doubles(nib.get("data"));
    assertEquals(data.length, ours.data().length, name);
    for (int v = 0; v < data.length; v++) {
      assertClose(data[v], ours.data()[v], 1e-6, name + " voxel " + v);
    }
  }

  private static List<String> shape(JsonNode nib) {
    List<String> out = new ArrayList<>();
    nib.get("shape").forEach(n -> out.add(n.asText()));
    return out;
  }

  private Path write(String name, Volume volume, NiftiHeader template, NiftiDataType type) {
    Path file = dir.resolve(name);
    NiftiWriter.write(file, volume, template, type);
    return file;
  }

  private static Volume ramp(Grid grid, float start, float step) {
    float[] v = new float[grid.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = start + step * i;
    }
    return new Volume(grid, v);
  }

  private static JsonNode readJson(String json) {
    try {
      return NiftiFixtures.JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("nibabel printed no JSON: " + json, e);
    }
  }

  /** Standard output of the command, or null when it cannot run or fails. */
  private static String run(List<String> command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    }
  }
}
