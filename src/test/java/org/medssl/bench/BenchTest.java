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
    MedsslException pgl = assertThrows(MedsslException.class, () -> NetworkConfig.named("pgl3d"));
    assertTrue(pgl.getMessage().contains("--pretext-steps"));
  }

  @Test
  void smokeRunReportsEveryPartAsJson() throws Exception {
    BenchOptions o = new BenchOptions(List.of(TINY), List.of(Precision.FP32), 1, 2, Precision.FP32, 0, 0, List.of(), 1, 0);
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
  void loaderOverlapAndMemoryTraceRunOnTinySettings() {
    NetworkConfig demo = NetworkConfig.named("demo2d").scaled(new int[] {4, 8}, 2, 96);
    LoaderOverlap overlap = LoaderOverlap.measure(demo, Precision.FP32, 0, 2);
    assertEquals(overlap.loaderMs().n(), overlap.prebuiltMs().n());
    MemoryTrace memory = MemoryTrace.measure(demo, Precision.FP32, 4);
    assertEquals(4, memory.samples().size());
    assertEquals(4, memory.samples().get(3).step());
  }
}
