package org.medssl.tensor;

import java.util.List;
import java.util.Optional;

/**
 * What the self-check decided for one CPU signature, as cached between runs.
 *
 * @param key the {@link CpuSignature} it holds for
 * @param chosen the configuration to run: the first candidate whose fp32 checks all pass
 * @param fallback the best configuration a process can switch to by itself (no ISA cap), for
 *     processes that cannot be restarted with {@code chosen}'s environment
 * @param bf16 whether {@code --precision auto} picks bf16: the CPU has bf16 instructions, every
 *     bf16 check passed on {@code chosen} and bf16 was measured at least {@link #BF16_MIN_SPEEDUP}x faster
 * @param reason one sentence for the log line
 * @param candidates every configuration tried, in order, with its rows
 */
public record EngineVerdict(String key, String cpu, String libtorch, String checkedAt, String chosen, String fallback,
    boolean bf16, double bf16Speedup, String reason, List<CandidateResult> candidates) {

  /** bf16 must beat fp32 by this much to be the automatic choice: below it, fp32's exactness wins. */
  public static final double BF16_MIN_SPEEDUP = 1.05;

  public Optional<CandidateResult> candidate(String config) {
    return candidates.stream().filter(c -> c.config().equals(config)).findFirst();
  }

  /** True when the doctor made it: start-up checks cover channels-first only. */
  public boolean hasChannelsLastRows() {
    return candidates.stream().flatMap(c -> c.rows().stream())
        .anyMatch(r -> r.layout().equals(SelfCheck.Layout.CHANNELS_LAST.label));
  }

  public EngineConfig chosenConfig() {
    return EngineConfig.named(chosen);
  }

  public EngineConfig fallbackConfig() {
    return EngineConfig.named(fallback);
  }
}
