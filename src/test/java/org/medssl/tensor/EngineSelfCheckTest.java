package org.medssl.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medssl.tensor.SelfCheck.Layout;

/**
 * The engine computes every op right on the machine that runs the tests: the self-check, run
 * afresh (not the cached verdict) on the configuration the engine chose, in fp32 and, where the
 * CPU has bf16 instructions, bf16. On failure the message is the doctor's table.
 */
class EngineSelfCheckTest {
  @Test
  void everyOpMatchesDoublePrecisionOnTheChosenConfiguration() {
    Engine.init(0);
    EngineConfig config = Engine.config();
    List<Precision> precisions = Precision.hardwareBf16() ? List.of(Precision.FP32, Precision.BF16)
        : List.of(Precision.FP32);
    List<CheckRow> rows = new SelfCheck(EngineSelection.DRAWS, 99).run(config, OpProbes.all(), precisions,
        List.of(Layout.CHANNELS_FIRST));
    CandidateResult result = new CandidateResult(config.name(), rows, Double.NaN, 0, null);
    boolean bf16Used = Engine.choice().bf16();
    EngineVerdict asTable = new EngineVerdict("test", "this CPU", Engine.libtorchVersion(), "now", config.name(),
        config.name(), bf16Used, Double.NaN, Engine.choice().logLine(), List.of(result));
    String table = DoctorReport.render(asTable, config, true);
    assertTrue(result.passes(Precision.FP32), table);
    assertTrue(!bf16Used || result.passes(Precision.BF16), "auto precision picks bf16, so bf16 must be right\n" + table);
  }
}
