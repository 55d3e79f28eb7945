package org.medssl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medssl.MedsslException;
import org.medssl.tensor.Precision;

/** Tiny smoke runs: the plumbing and the report, not the speed. */
class BenchTest {
  private static final NetworkConfig TINY = NetworkConfig.named("unet2d").scaled(new int[] {4, 8}, 2, 16);

  @Test
  void referenceConfigurationsMatchTheIssue() {
    assertEquals(List.of("unet2d", "unet3d", "demo2d"), NetworkConfig.references().stream().map(NetworkConfig::name).toList());
    assertEquals("2x1x64x64x64", NetworkConfig.named("unet3d").batchShape());
    assertEquals(3, NetworkConfig.parse("all").size());
    assertEquals("unet3d", NetworkConfig.parse(" unet3d ,").get(0).name());
    assertThrows(MedsslException.class, () -> NetworkConfig.parse("unet2d,nope"));
    assertEquals(List.of(), NetworkConfig.parse("pgl3d"));
    assertEquals(List.of("demo2d"), NetworkConfig.parse("pgl3d, demo2d").stream().map(NetworkConfig::name).toList());
    assertTrue(NetworkConfig.selectsPgl3d("unet2d,PGL3D") && NetworkConfig.selectsPgl3d("all"));
    assertFalse(NetworkConfig.selectsPgl3d("unet2d,demo2d"));
    MedsslException unknown = assertThrows(MedsslException.class, () -> NetworkConfig.named("pgl2d"));
    assertTrue(unknown.getMessage().contains("pgl3d"));
  }

  @Test
  void smokeRunReportsEveryPartAsJson() throws Exception {
    BenchOptions o = new BenchOptions(List.of(TINY), List.of(Precision.FP32), 1, 2, Precision.FP32, 0, 0, List.of(), 1, 0, false);
    List<String> progress = new ArrayList<>();
    BenchReport report = Bench.run(o, progress::add);
    assertEquals(1, progress.size());
    NetworkResult r = report.networks().get(0);
    assertEquals(2, r.trainMs().n());
    assertTrue(r.trainMs().min() > 0 && r.trainMs().min() <= r.trainMs().median());
    assertTrue(r.parameters() > 0);
    assertEquals("2x1x16x16", r.batch());

    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertEquals(r.parameters(), json.at("/networks/0/parameters").asLong());
    assertEquals(r.trainMs().median(), json.at("/networks/0/trainMs/median").asDouble(), 1e-9);
    assertTrue(json.at("/threads").asInt() >= 1);
    assertTrue(json.at("/loader").isNull());
    assertFalse(report.summary().isEmpty());
    assertTrue(report.summary().stream().anyMatch(l -> l.startsWith("unet2d   fp32")));
  }

  @Test
  void pglPretrainingStepIsTimedThroughThePretrainingLoop() {
    PretextBench.Result r = PretextBench.run(Precision.FP32, 1, 2);
    assertEquals("pgl3d", r.config());
    assertEquals(2, r.stepMs().n());
    assertTrue(r.stepMs().min() > 0 && r.parameters() > 0);
    assertEquals("4x2x1x16x48x48", r.batch());
  }

  @Test
  void pglStepOnAFixedBatchIsReportedAsAConfiguration() {
    BenchOptions o = new BenchOptions(List.of(), List.of(Precision.FP32), 1, 2, Precision.FP32, 0, 0, List.of(), 1, 0,
        true);
    BenchReport report = Bench.run(o, line -> { });
    NetworkResult r = report.networks().get(0);
    assertEquals("pgl3d", r.config());
    assertEquals("4x2x1x16x48x48", r.batch());
    assertEquals(2, r.trainMs().n());
    assertEquals(2, r.inferMs().n());
    // Online and target encoder + projector, and the predictor: bench/peer_pytorch.py prints the same count.
    assertEquals(540_336, r.parameters());
    assertTrue(r.trainMs().min() > r.inferMs().min(), "a training step costs more than the online forward pass");
  }

  @Test
  void fixedViewsOverlapAndVaryTheirFlips() {
    org.medssl.ssl.PretextBatch b = PretextBench.fixedViews(new java.util.SplittableRandom(1));
    assertEquals(8, b.geometries().size());
    java.util.Set<String> flipPatterns = new java.util.HashSet<>();
    for (int i = 0; i < 4; i++) {
      var first = b.geometries().get(2 * i);
      var second = b.geometries().get(2 * i + 1);
      for (int a = 0; a < 3; a++) {
        double lo = Math.max(first.origin()[a], second.origin()[a]);
        double hi = Math.min(first.origin()[a] + first.size()[a], second.origin()[a] + second.size()[a]);
        assertTrue(hi - lo > 0.5 * Math.min(first.size()[a], second.size()[a]), "views of sample " + i + " overlap");
      }
      flipPatterns.add(java.util.Arrays.toString(first.flips()));
      flipPatterns.add(java.util.Arrays.toString(second.flips()));
    }
    assertEquals(2, flipPatterns.size(), "alternating flips: both patterns occur");
  }

  @Test
  void loaderOverlapAndMemoryTraceRunOnTinySettings() {
    NetworkConfig demo = NetworkConfig.named("demo2d").scaled(new int[] {4, 8}, 2, 96);
    LoaderOverlap overlap = LoaderOverlap.measure(demo, Precision.FP32, 0, 2);
    assertEquals(overlap.loaderMs().n(), overlap.prebuiltMs().n());
    MemoryTrace memory = MemoryTrace.measure(demo, Precision.FP32, 4);
    assertEquals(4, memory.samples().size());
    assertEquals(4, memory.samples().get(3).step());
  }
}
