package org.medssl.study.store;

import org.medssl.study.StudyEndToEndTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medssl.Version;
import org.medssl.data.phantom.PhantomDataset;
import org.medssl.study.plan.Fingerprint;
import org.medssl.study.plan.Pretraining;
import org.medssl.tensor.Engine;

/**
 * Pretrained models shared between studies, and a study with two pretraining seeds, through the
 * command line. The cache is always named explicitly (the test JVM's default is off).
 */
class PretrainedCacheTest {
  @TempDir
  Path dir;

  static final String CONFIG = """
      name: shared
      dataset: {path: ph}
      pretraining: {steps: 2, batch: 4, seeds: [0, 1]}
      inits: [random, byol]
      labeled: [1]
      seeds: [0, 1, 2]
      reference: false
      finetune: {steps: 2, batch: 2, channels: [4, 8], validation: 1, validateEvery: 2, patience: 2}
      """;

  @Test
  void theDefaultPlaceFollowsTheEnvironment() {
    assertTrue(PretrainedCache.defaultDir(Map.of(PretrainedCache.ENV, "off"), "/h").isEmpty());
    assertEquals(Path.of("/c/p"), PretrainedCache.defaultDir(Map.of(PretrainedCache.ENV, "/c/p", "MEDSSL_CACHE_DIR", "/m"),
        "/h").orElseThrow());
    assertEquals(Path.of("/m/pretrained"), PretrainedCache.defaultDir(Map.of("MEDSSL_CACHE_DIR", "/m"), "/h")
        .orElseThrow());
    assertEquals(Path.of("/x/medssl/pretrained"), PretrainedCache.defaultDir(Map.of("XDG_CACHE_HOME", "/x"), "/h")
        .orElseThrow());
    assertEquals(Path.of("/h/.cache/medssl/pretrained"), PretrainedCache.defaultDir(Map.of(), "/h").orElseThrow());
  }

  @Test
  void aSecondStudyTakesThePretrainingsFromTheCache() throws Exception {
    PhantomDataset.write(dir.resolve("ph"), 5, 1, 3);
    Path config = dir.resolve("shared.yaml");
    Files.writeString(config, CONFIG);
    Path cache = dir.resolve("cache");
    String first = study(config, "one", "--pretraining-cache", cache.toString());
    assertTrue(first.contains("pretraining byol~s0: byol, 2 steps") && first.contains("pretraining byol~s1:"), first);
    assertFalse(first.contains("from the cache"), first);
    assertTrue(first.contains("fine-tuning byol-n1-s2 from pretrained/byol~s0.medssl"), "seed index 2 mod 2: " + first);
    assertTrue(first.contains("fine-tuning byol-n1-s1 from pretrained/byol~s1.medssl"), first);
    try (Stream<Path> s = Files.list(cache)) {
      assertEquals(4, s.filter(p -> !p.getFileName().toString().startsWith(".")).count(), "two models, two records");
    }

    String second = study(config, "two", "--pretraining-cache", cache.toString());
    assertTrue(second.contains("pretraining byol~s0 taken from the cache")
        && second.contains("pretraining byol~s1 taken from the cache"), second);
    assertFalse(second.contains("pretraining byol~s0: byol"), "not run again: " + second);
    for (String f : List.of("byol~s0.medssl", "byol~s1.medssl")) {
      assertArrayEquals(Files.readAllBytes(dir.resolve("one/pretrained/" + f)),
          Files.readAllBytes(dir.resolve("two/pretrained/" + f)), f);
    }
    assertEquals(PretrainingStore.read(dir.resolve("one/pretrained/byol~s1.json")).fingerprint(),
        PretrainingStore.read(dir.resolve("two/pretrained/byol~s1.json")).fingerprint());
    assertEquals(Files.readAllLines(dir.resolve("one/results.csv")).size(),
        Files.readAllLines(dir.resolve("two/results.csv")).size());

    String off = study(config, "three", "--pretraining-cache", cache.toString(), "--no-pretraining-cache");
    assertTrue(off.contains("pretraining byol~s0: byol") && !off.contains("from the cache"), off);

    Pretraining byol = new Pretraining("byol~s0", "byol", null, 2, 0, null,
        PretrainingStore.read(dir.resolve("one/pretrained/byol~s0.json")).description(), "2 steps");
    PretrainedCache thisBuild = PretrainedCache.forThisBuild(cache).orElseThrow();
    assertTrue(thisBuild.find(byol).isPresent());
    String build = Fingerprint.of(Version.code().orElseThrow() + ";" + Engine.libtorchVersion());
    assertEquals(byol.fingerprint() + "-" + build + ".medssl", thisBuild.model(byol).getFileName().toString());
    assertTrue(new PretrainedCache(cache, "another-build").find(byol).isEmpty(), "another build runs it again");
  }

  private static String study(Path config, String out, String... cache) {
    List<String> args = new java.util.ArrayList<>(List.of("study", "--config", config.toString(), "--out",
        config.resolveSibling(out).toString(), "--precision", "fp32"));
    args.addAll(List.of(cache));
    return StudyEndToEndTest.run(args.toArray(String[]::new));
  }
}
