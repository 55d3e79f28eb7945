package org.medssl.data.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.MedsslException;
import org.medssl.data.Seeds;
import org.medssl.io.dataset.DatasetLayouts;
import org.medssl.io.nifti.NiftiReader;

/** Version 2: what it must vary, what it must keep stable, and that its labels tell the truth. */
class PhantomV2Test {

  private static final PhantomGenerator V1 = new PhantomGenerator(PhantomConfig.defaults(1));
  private static final PhantomGenerator V2 = new PhantomGenerator(PhantomConfig.defaults(2));
  private static final int SUBJECTS = 16;

  @Test
  void sameSeedSameBytesAndTheVersionsDiffer() {
    PhantomSubject a = V2.generate(42);
    PhantomSubject b = new PhantomGenerator(PhantomConfig.defaults(2)).generate(42);
    assertArrayEquals(a.image().voxels(), b.image().voxels());
    assertArrayEquals(a.labels().labels(), b.labels().labels());
    assertFalse(Arrays.equals(a.image().voxels(), V1.generate(42).image().voxels()));
    assertFalse(Arrays.equals(a.labels().labels(), V2.generate(43).labels().labels()));
    assertEquals("96x96x32", a.image().grid().shapeString());
  }

  @Test
  void anatomyVariesMoreThanInVersionOne() {
    double[][] v1 = anatomyStats(V1);
    double[][] v2 = anatomyStats(V2);
    // Rows: liver, kidney, spleen volume, body volume, fat volume. Measured on these seeds:
    // v1 cv 0.25 / 0.37 / 0.25 / 0.12 / 0.29, v2 0.31 / 0.37 / 0.39 / 0.16 / 0.49 (24 subjects).
    String[] what = {"liver", "kidney", "spleen", "body", "fat"};
    double[] atLeast = {0.22, 0.2, 0.3, 0.13, 0.35};
    for (int row = 0; row < what.length; row++) {
      double cv = cv(v2[row]);
      assertTrue(cv > atLeast[row], what[row] + " volume varies too little in v2: cv " + cv);
    }
    for (int row : new int[] {2, 3, 4}) {
      assertTrue(cv(v2[row]) > 1.2 * cv(v1[row]),
          what[row] + ": v2 cv " + cv(v2[row]) + " not clearly above v1's " + cv(v1[row]));
    }
  }

  @Test
  void tissueOrderIsTheSameForEverySubjectOfTheSequence() {
    SplittableRandom rng = new SplittableRandom(5);
    Tissue[] order = {Tissue.FAT, Tissue.LIVER, Tissue.KIDNEY_CORTEX, Tissue.SPLEEN, Tissue.KIDNEY_MEDULLA,
        Tissue.MUSCLE, Tissue.LIVER_CYST};
    for (int i = 0; i < 2000; i++) {
      Contrast c = Contrast.sequence(rng, 0.06);
      for (int k = 1; k < order.length; k++) {
        assertTrue(c.mean(order[k - 1]) > c.mean(order[k]), "draw " + i + ": " + order[k - 1] + " "
            + c.mean(order[k - 1]) + " not above " + order[k] + " " + c.mean(order[k]));
      }
    }
    // In the images too: gain, gamma and noise are monotone, so without a bias field the organ means
    // keep their order in every subject.
    PhantomGenerator flat = new PhantomGenerator(PhantomConfig.defaults(2).withBiasStrength(0));
    for (int s = 0; s < 10; s++) {
      double[] m = tissueMeans(flat.render(500 + s));
      assertTrue(m[Tissue.LIVER.ordinal()] > m[Tissue.KIDNEY_CORTEX.ordinal()]
          && m[Tissue.KIDNEY_CORTEX.ordinal()] > m[Tissue.SPLEEN.ordinal()], "subject " + s + ": "
          + Arrays.toString(m));
    }
  }

  @Test
  void organOrderHoldsDespiteTheScannerWhereVersionOneFlipsIt() {
    int v1LiverBrighter = 0;
    int v2LiverBrighter = 0;
    double[] p99 = new double[SUBJECTS];
    for (int s = 0; s < SUBJECTS; s++) {
      v1LiverBrighter += liverAboveSpleen(V1.render(700 + s)) ? 1 : 0;
      PhantomGenerator.Rendered r = V2.render(700 + s);
      v2LiverBrighter += liverAboveSpleen(r) ? 1 : 0;
      p99[s] = percentile(r.subject().image().voxels(), 0.99);
    }
    assertTrue(v2LiverBrighter >= SUBJECTS - 1, "v2 liver above spleen in " + v2LiverBrighter + "/" + SUBJECTS);
    assertTrue(v1LiverBrighter < SUBJECTS - 3, "v1 was meant to flip: " + v1LiverBrighter + "/" + SUBJECTS);
    // The scanner's nuisance is there: overall brightness varies a lot between scans.
    assertTrue(cv(p99) > 0.25, "99th percentile barely varies: cv " + cv(p99));
  }

  @Test
  void labelsFollowTheTissuesAndLesionsBelongToTheirOrgan() {
    int withLesions = 0;
    int contrasted = 0;
    for (int s = 0; s < SUBJECTS; s++) {
      PhantomGenerator.Rendered r = V2.render(900 + s);
      int[] labels = r.subject().labels().labels();
      int lesionVoxels = 0;
      for (int i = 0; i < labels.length; i++) {
        Tissue t = Tissue.ALL[r.tissue()[i]];
        assertEquals(t.label, labels[i], "subject " + s + " voxel " + i + " is " + t);
        if (t == Tissue.LIVER_LESION || t == Tissue.KIDNEY_LESION || t == Tissue.SPLEEN_LESION) {
          lesionVoxels++;
        }
      }
      withLesions += lesionVoxels > 0 ? 1 : 0;
      double[] m = tissueMeans(r);
      int lesion = Tissue.LIVER_LESION.ordinal();
      int liver = Tissue.LIVER.ordinal();
      if (count(r.tissue(), Tissue.LIVER_LESION) >= 30) {
        double ratio = m[lesion] / m[liver];
        assertTrue(ratio < 0.85 || ratio > 1.15, "subject " + s + ": lesion/liver " + ratio);
        contrasted++;
      }
    }
    assertTrue(withLesions >= 4 && withLesions < SUBJECTS, "subjects with lesions: " + withLesions);
    assertTrue(contrasted >= 2, "liver lesions large enough to measure: " + contrasted);
  }

  @Test
  void labeledAndUnlabeledSubjectsComeFromOneGenerator(@TempDir Path dir) {
    long seed = 3;
    PhantomDataset.write(dir, 3, 1, seed, 2);
    assertEquals("medssl-phantom-v2", DatasetLayouts.open(dir).name());
    for (String file : new String[] {"imagesTr/phantom_000.nii.gz", "imagesTs/phantom_002.nii.gz",
        "imagesUl/phantom_003.nii.gz"}) {
      int k = Integer.parseInt(file.substring(file.length() - 10, file.length() - 7));
      float[] written = NiftiReader.read(dir.resolve(file)).volume().voxels();
      assertArrayEquals(V2.generate(Seeds.derive(seed, k)).image().voxels(), written, file);
    }
    assertThrows(MedsslException.class, () -> PhantomDataset.write(dir.resolve("x"), 3, 0, 1, 3));
    assertThrows(IllegalArgumentException.class, () -> PhantomConfig.defaults(0));
  }

  @Test
  void generationStaysFast() {
    V2.generate(0); // warm up the JIT
    long start = System.nanoTime();
    for (int i = 0; i < 4; i++) {
      V2.generate(300 + i);
    }
    double seconds = (System.nanoTime() - start) / 1e9 / 4;
    // About 0.1 s of CPU; the bound is loose for a busy shared machine.
    assertTrue(seconds < 1.5, "one v2 subject took " + seconds + " s");
  }

  /** Per subject: liver, kidney and spleen voxels, body (non-air) voxels and fat voxels. */
  private static double[][] anatomyStats(PhantomGenerator gen) {
    double[][] out = new double[5][SUBJECTS];
    for (int s = 0; s < SUBJECTS; s++) {
      PhantomGenerator.Rendered r = gen.render(1000 + s);
      int[] labels = r.subject().labels().labels();
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] > 0) {
          out[labels[i] - 1][s]++;
        }
        out[3][s] += r.tissue()[i] != Tissue.AIR.ordinal() ? 1 : 0;
        out[4][s] += r.tissue()[i] == Tissue.FAT.ordinal() ? 1 : 0;
      }
    }
    return out;
  }

  private static boolean liverAboveSpleen(PhantomGenerator.Rendered r) {
    double[] m = tissueMeans(r);
    return m[Tissue.LIVER.ordinal()] > m[Tissue.SPLEEN.ordinal()];
  }

  private static double[] tissueMeans(PhantomGenerator.Rendered r) {
    double[] sum = new double[Tissue.ALL.length];
    int[] n = new int[Tissue.ALL.length];
    float[] v = r.subject().image().voxels();
    for (int i = 0; i < v.length; i++) {
      sum[r.tissue()[i]] += v[i];
      n[r.tissue()[i]]++;
    }
    for (int t = 0; t < sum.length; t++) {
      sum[t] /= Math.max(1, n[t]);
    }
    return sum;
  }

  private static int count(byte[] tissue, Tissue t) {
    int n = 0;
    for (byte b : tissue) {
      n += b == t.ordinal() ? 1 : 0;
    }
    return n;
  }

  private static double percentile(float[] v, double q) {
    float[] sorted = v.clone();
    Arrays.sort(sorted);
    return sorted[(int) (q * (sorted.length - 1))];
  }

  private static double cv(double[] x) {
    double mean = Arrays.stream(x).average().orElseThrow();
    double var = Arrays.stream(x).map(d -> (d - mean) * (d - mean)).sum() / x.length;
    return Math.sqrt(var) / mean;
  }
}
