package org.medssl.data.colin27;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.data.Preprocessing;
import org.medssl.data.Splits;
import org.medssl.image.Grid;
import org.medssl.image.LabelMap;
import org.medssl.image.Volume;
import org.medssl.io.dataset.DatasetSpec;
import org.medssl.io.nifti.NiftiDataType;
import org.medssl.io.nifti.NiftiImage;
import org.medssl.io.nifti.NiftiReader;
import org.medssl.io.nifti.NiftiWriter;
import org.medssl.testkit.CliRun;

/**
 * The Colin27 builder on a small stand-in for mricron-data's files (same names and formats):
 * coarse classes by region name, test slabs with gaps that no training slice comes near, one case
 * per labeled slice, every slice where it was in the world.
 */
class Colin27DatasetTest {
  @TempDir
  Path dir;

  @Test
  void regionNamesGiveTheThreeClasses() {
    assertEquals(1, AalClasses.classOf("Precentral_L"));
    assertEquals(1, AalClasses.classOf("Hippocampus_R"));
    assertEquals(2, AalClasses.classOf("Thalamus_L"));
    assertEquals(2, AalClasses.classOf("Amygdala_R"));
    assertEquals(3, AalClasses.classOf("Cerebelum_Crus1_L"));
    assertEquals(3, AalClasses.classOf("Vermis_4_5"));
  }

  @Test
  void splitsBySlabWithGapsAndOneCasePerSlice() throws IOException {
    Path templates = standIn();
    Path out = dir.resolve("colin27");
    CliRun r = CliRun.of("data", "fetch", "colin27", "--from", templates.toString(), "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    DatasetSpec spec = DatasetSpec.read(out);
    assertEquals(AalClasses.LABEL_NAMES, spec.labelNames());
    assertEquals(2, spec.test().size());
    List<Integer> trainZ = new ArrayList<>();
    List<DatasetSpec.Case> heldOut = new ArrayList<>(spec.test());
    for (DatasetSpec.Case c : spec.training()) {
      if (c.id().startsWith("colin27_validation")) {
        heldOut.add(c);
        continue;
      }
      NiftiImage img = NiftiReader.read(c.image());
      assertEquals(1, img.grid().nz(), "one slice per case");
      int z = Integer.parseInt(c.id().substring("colin27_z".length()));
      assertEquals(z - 50.0, img.grid().affine().get(2, 3), 1e-6, "slice " + z + " keeps its place in the world");
      trainZ.add(z);
    }
    Splits.TrainValidation split = Splits.of(spec, 2);
    assertEquals(1, split.validation().size());
    assertTrue(split.validation().get(0).startsWith("colin27_validation_z"), split.validation().toString());
    assertEquals(trainZ.size(), split.pool().size(), "every single-slice case is in the labeled pool");
    for (DatasetSpec.Case t : heldOut) {
      Grid g = NiftiReader.read(t.label()).grid();
      int from = (int) Math.round(g.affine().get(2, 3) + 50);
      int to = from + g.nz();
      for (int z : trainZ) {
        assertTrue(z < from - Colin27Dataset.GAP || z >= to + Colin27Dataset.GAP, "slice " + z + " near test slab "
            + from + ".." + to + " (" + t.id() + ")");
      }
    }
    LabelMap first = NiftiReader.read(spec.training().get(0).label()).labels();
    assertTrue(first.maxLabel() <= 3);
    DatasetSpec.Case validation = spec.training().stream().filter(c -> c.id().startsWith("colin27_validation"))
        .findFirst().orElseThrow();
    int[] present = new int[4];
    for (int v : NiftiReader.read(validation.label()).labels().labels()) {
      present[v]++;
    }
    assertTrue(present[1] > 0 && present[2] > 0 && present[3] > 0, "every class in the validation slab: "
        + java.util.Arrays.toString(present));
    assertTrue(r.out().contains("test slabs"), r.out());
  }

  @Test
  void slicesAndSlabsShareOneIntensityScale() throws IOException {
    Path out = dir.resolve("colin27");
    CliRun r = CliRun.of("data", "fetch", "colin27", "--from", standIn().toString(), "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    DatasetSpec spec = DatasetSpec.read(out);
    assertEquals(Preprocessing.NO_NORM_CHANNEL, spec.modality());
    Preprocessing pre = Preprocessing.forModality(spec.modality());
    Volume slice = pre.apply(NiftiReader.read(spec.training().get(3).image()).volume());
    Volume slab = pre.apply(NiftiReader.read(spec.test().get(0).image()).volume());
    // The stand-in's T1 is 100 + x + y on every slice, so one (x, y) must read the same everywhere.
    for (int[] xy : new int[][] {{3, 4}, {9, 9}, {16, 12}}) {
      float inSlice = slice.voxels()[slice.grid().index(xy[0], xy[1], 0)];
      for (int z = 0; z < slab.grid().nz(); z++) {
        assertEquals(inSlice, slab.voxels()[slab.grid().index(xy[0], xy[1], z)], 1e-5, "x,y " + xy[0] + "," + xy[1]);
      }
    }
    float inside = slice.voxels()[slice.grid().index(9, 9, 0)];
    float outside = slice.voxels()[slice.grid().index(0, 0, 0)];
    assertTrue(inside > 0 && outside < 0, "z-scored over the whole volume: " + inside + ", " + outside);
  }

  @Test
  void missingTemplatesNameTheFile() {
    CliRun r = CliRun.of("data", "fetch", "colin27", "--from", dir.toString(), "--out", dir.resolve("o").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(dir + ": expected ch2.nii.gz, aal.nii.gz and aal.nii.txt"), r.err());
  }

  /**
   * 20x16x100 voxels, 1 mm, origin z = -50: cerebellum below z 30, then a cortex ring around
   * cerebellum (left, up to z 50) and nuclei (right, z 35-65): all classes meet in z 35-49.
   */
  private Path standIn() throws IOException {
    Path t = Files.createDirectories(dir.resolve("templates"));
    Grid g = new Grid(20, 16, 100, new double[] {1, 1, 1}, new org.medssl.image.Affine(new double[] {1, 0, 0, -10, 0, 1,
        0, -8, 0, 0, 1, -50, 0, 0, 0, 1}));
    float[] t1 = new float[g.size()];
    int[] aal = new int[g.size()];
    for (int z = 5; z < 95; z++) {
      for (int y = 2; y < 14; y++) {
        for (int x = 2; x < 18; x++) {
          int i = g.index(x, y, z);
          t1[i] = 100 + x + y;
          boolean ring = x < 5 || x > 14 || y < 5 || y > 10;
          boolean cerebellum = z < 30 || !ring && z < 50 && x < 10;
          aal[i] = cerebellum ? 91 : ring ? 1 : z > 34 && z < 66 && x >= 10 ? 77 : 0;
        }
      }
    }
    NiftiWriter.write(t.resolve("ch2.nii.gz"), new Volume(g, t1), null, NiftiDataType.UINT8);
    NiftiWriter.writeLabels(t.resolve("aal.nii.gz"), new LabelMap(g, aal), null);
    StringBuilder table = new StringBuilder();
    String[] names = {"Precentral_L", "Thalamus_L", "Cerebelum_Crus1_L"};
    for (int i = 1; i <= 116; i++) {
      table.append(i).append(' ').append(i == 77 ? names[1] : i >= 91 ? names[2] : names[0] + i).append(' ')
          .append(2000 + i).append('\n');
    }
    Files.writeString(t.resolve("aal.nii.txt"), table.toString());
    return t;
  }
}
