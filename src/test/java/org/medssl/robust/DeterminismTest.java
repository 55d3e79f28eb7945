package org.medssl.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.data.phantom.PhantomDataset;
import org.medssl.io.model.ModelFile;
import org.medssl.tensor.TensorData;

/**
 * Same seed, same thread count, fp32: the whole pipeline (pretrain, fine-tune from it, evaluate)
 * repeats bit for bit, down to the metrics CSV; another seed gives other numbers. Every output
 * says which seed and version made it.
 */
class DeterminismTest {
  @TempDir
  static Path dir;
  static Path data;

  @BeforeAll
  static void data() {
    data = dir.resolve("ph");
    PhantomDataset.write(data, 5, 1, 11);
  }

  @Test
  void sameSeedSameThreadsFp32RepeatsBitForBit() throws Exception {
    List<String> first = pipeline("a", "7");
    List<String> again = pipeline("b", "7");
    List<String> other = pipeline("c", "8");
    assertEquals(first, again, "metrics CSV of the same seed");
    assertNotEquals(first, other, "another seed gives other numbers");
    assertSameWeights(dir.resolve("a-pre.medssl"), dir.resolve("b-pre.medssl"));
    assertSameWeights(dir.resolve("a.medssl"), dir.resolve("b.medssl"));

    assertTrue(first.get(0).endsWith("model_seed,model_medssl_version,precision,medssl_version"), first.get(0));
    assertTrue(first.get(1).endsWith(",7,dev,fp32,dev"), first.get(1));
    var provenance = ModelFile.read(dir.resolve("a.medssl")).metadata().path("provenance");
    assertEquals(7, provenance.path("seed").asInt());
    assertTrue(provenance.path("config").asText().contains("seed=7"), provenance.toString());
    assertEquals("dev", provenance.path("medsslVersion").asText());
  }

  /** Pretrain, fine-tune from it, evaluate; returns the metrics CSV lines. */
  private static List<String> pipeline(String name, String seed) throws Exception {
    Path pre = dir.resolve(name + "-pre.medssl");
    Path model = dir.resolve(name + ".medssl");
    Path csv = dir.resolve(name + ".csv");
    BadInputTest.ok("pretrain", "--method", "denoise", "--data", data.toString(), "--out", pre.toString(), "--steps", "4",
        "--batch", "2", "--channels", "2,4", "--precision", "fp32", "--threads", "2", "--seed", seed);
    BadInputTest.ok("finetune", "--data", data.toString(), "--labeled", "2", "--out", model.toString(), "--init",
        pre.toString(), "--steps", "6", "--batch", "2", "--channels", "2,4", "--validation", "1", "--precision", "fp32",
        "--threads", "2", "--seed", seed);
    BadInputTest.ok("evaluate", "--model", model.toString(), "--data", data.toString(), "--out", csv.toString(),
        "--precision", "fp32", "--threads", "2");
    return Files.readAllLines(csv);
  }

  private static void assertSameWeights(Path a, Path b) {
    Map<String, TensorData> wa = ModelFile.read(a).weights();
    Map<String, TensorData> wb = ModelFile.read(b).weights();
    assertEquals(wa.keySet(), wb.keySet());
    wa.forEach((k, v) -> assertArrayEquals(v.values(), wb.get(k).values(), k));
  }
}
