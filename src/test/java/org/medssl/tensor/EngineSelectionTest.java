package org.medssl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decision over candidate configurations, with made-up check results. */
class EngineSelectionTest {
  private static final CpuSignature CPU = new CpuSignature("k-t2", "Test CPU");

  private static CheckRow row(String precision, boolean pass) {
    return new CheckRow("conv3x3", "2x8x32x32 -> 8", precision, "NCHW", "oneDNN", pass ? 1e-7 : Double.NaN,
        pass ? 1e-7 : Double.NaN, 1e-7, pass ? 1e-6 : Double.NaN, pass, 1.0);
  }

  private static CandidateResult result(EngineConfig c, boolean fp32, boolean bf16, double speedup) {
    return new CandidateResult(c.name(), List.of(row("fp32", fp32), row("fp32", true), row("bf16", bf16)), speedup,
        1.0, null);
  }

  private static EngineVerdict decide(Map<EngineConfig, CandidateResult> results, List<String> asked, boolean bf16Cpu) {
    return EngineSelection.decide(CPU, c -> {
      asked.add(c.name());
      return results.get(c);
    }, bf16Cpu);
  }

  @Test
  void theFirstCandidateThatPassesInFp32IsChosenAndNoLaterOneIsChecked() {
    List<String> asked = new ArrayList<>();
    EngineVerdict v = decide(Map.of(EngineConfig.ONEDNN, result(EngineConfig.ONEDNN, false, false, Double.NaN),
        EngineConfig.PAD16, result(EngineConfig.PAD16, true, true, 1.3)), asked, true);
    assertEquals(List.of("onednn", "pad16"), asked);
    assertEquals("pad16", v.chosen());
    assertEquals("pad16", v.fallback());
    assertTrue(v.bf16());
    assertTrue(v.reason().startsWith("oneDNN as shipped is wrong here: 1 of 2 fp32 checks fail (worst: conv3x3"
        + " 2x8x32x32 -> 8 fp32 NCHW, error NaN); pad16 passes all; auto precision bf16 (bf16 1.30x faster"), v.reason());
  }

  @Test
  void bf16IsAutomaticOnlyWhereCorrectFasterAndInTheHardware() {
    Map<EngineConfig, CandidateResult> slowBf16 = Map.of(EngineConfig.ONEDNN,
        result(EngineConfig.ONEDNN, true, true, 1.02));
    assertFalse(decide(slowBf16, new ArrayList<>(), true).bf16());
    assertTrue(decide(slowBf16, new ArrayList<>(), true).reason().contains("bf16 only 1.02x faster"));
    Map<EngineConfig, CandidateResult> wrongBf16 = Map.of(EngineConfig.ONEDNN,
        result(EngineConfig.ONEDNN, true, false, Double.NaN));
    EngineVerdict v = decide(wrongBf16, new ArrayList<>(), true);
    assertEquals("onednn", v.chosen());
    assertFalse(v.bf16());
    assertTrue(v.reason().contains("auto precision fp32 (bf16 1 of 1 bf16 checks fail"), v.reason());
    Map<EngineConfig, CandidateResult> fast = Map.of(EngineConfig.ONEDNN, result(EngineConfig.ONEDNN, true, true, 2.0));
    assertFalse(decide(fast, new ArrayList<>(), false).bf16(), "no bf16 instructions: fp32");
  }

  @Test
  void aCandidateNeedingAnInstructionSetCapKeepsAnInProcessFallback() {
    Map<EngineConfig, CandidateResult> results = Map.of(
        EngineConfig.ONEDNN, result(EngineConfig.ONEDNN, false, false, Double.NaN),
        EngineConfig.PAD16, result(EngineConfig.PAD16, false, false, Double.NaN),
        EngineConfig.AVX2_PAD16, result(EngineConfig.AVX2_PAD16, true, true, 1.2),
        EngineConfig.NATIVE, result(EngineConfig.NATIVE, true, true, 0.9));
    List<String> asked = new ArrayList<>();
    EngineVerdict v = decide(results, asked, true);
    assertEquals("avx2-pad16", v.chosen());
    assertEquals(List.of("onednn", "pad16", "avx2-pad16", "native"), asked, "the fallback is checked too");
    assertEquals("native", v.fallback(), "no in-process candidate passed, so the fallback is oneDNN off");
  }

  @Test
  void whenNothingPassesTheFewestFailuresRunAndTheReasonSaysSo() {
    List<String> asked = new ArrayList<>();
    Map<EngineConfig, CandidateResult> results = new java.util.HashMap<>();
    for (EngineConfig c : EngineConfig.CANDIDATES) {
      results.put(c, result(c, false, false, Double.NaN));
    }
    results.put(EngineConfig.AVX, new CandidateResult("avx", List.of(), Double.NaN, 0, "child JVM failed"));
    EngineVerdict v = decide(results, asked, true);
    assertEquals(EngineConfig.CANDIDATES.size(), asked.size());
    assertEquals("onednn", v.chosen());
    assertTrue(v.reason().startsWith("NO configuration computes every op right on this CPU"), v.reason());
    assertFalse(v.bf16());
  }
}
