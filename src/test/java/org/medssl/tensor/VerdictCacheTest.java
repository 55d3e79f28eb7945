package org.medssl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerdictCacheTest {
  @TempDir
  Path dir;

  private static EngineVerdict verdict(String key, String chosen) {
    CheckRow nan = new CheckRow("conv3x3", "2x8x32x32 -> 8", "fp32", "NCHW", "oneDNN", 1e-7, Double.NaN, -1,
        Double.NaN, false, 2.5);
    return new EngineVerdict(key, "Test CPU", "libtorch", "2026-12-05T00:00:00Z", chosen, chosen, true, 1.2, "why",
        List.of(new CandidateResult("onednn", List.of(nan), Double.NaN, 3.0, null)));
  }

  @Test
  void verdictsRoundTripPerKeyIncludingNaNErrors() throws Exception {
    VerdictCache cache = new VerdictCache(dir.resolve("medssl/engine.json"));
    cache.store(verdict("a", "pad16"));
    cache.store(verdict("b", "onednn"));
    EngineVerdict a = cache.find("a").orElseThrow();
    assertEquals(verdict("a", "pad16"), a);
    assertEquals("onednn", cache.find("b").orElseThrow().chosen(), "another CPU's verdict is kept");
    assertTrue(Double.isNaN(a.candidates().get(0).rows().get(0).inputGradError()));
    assertTrue(cache.find("c").isEmpty());
  }

  @Test
  void anUnreadableCacheIsEmptyAndGetsRewritten() throws Exception {
    Path file = dir.resolve("engine.json");
    Files.writeString(file, "{not json");
    VerdictCache cache = new VerdictCache(file);
    assertTrue(cache.find("a").isEmpty());
    cache.store(verdict("a", "pad16"));
    assertEquals("pad16", cache.find("a").orElseThrow().chosen());
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
    }
  }
}
