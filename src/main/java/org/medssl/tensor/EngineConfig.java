package org.medssl.tensor;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.medssl.MedsslException;

/**
 * How the engine runs its kernels: which oneDNN instruction set it may use, whether convolution
 * channels are zero-padded to whole 16-channel blocks, and whether oneDNN is used at all.
 *
 * <p>The self-check ({@link SelfCheck}) tries the {@link #CANDIDATES} in order, fastest first,
 * and the engine runs on the first one that computes every checked op correctly on this CPU.
 *
 * @param name what users type ({@code MEDSSL_ENGINE=pad16}) and what logs and caches record
 * @param isaCap {@code ONEDNN_MAX_CPU_ISA} for the process, or null for oneDNN's own choice; it is
 *     read when oneDNN first runs, so a process must be started with it
 * @param padChannels zero-pad the channels of convolutions to multiples of 16 ({@link ChannelPadding})
 * @param oneDnn false turns oneDNN off for the whole process (ATen's own kernels)
 * @param summary one phrase for tables and log lines
 */
public record EngineConfig(String name, String isaCap, boolean padChannels, boolean oneDnn, String summary) {
  public static final EngineConfig ONEDNN = new EngineConfig("onednn", null, false, true, "oneDNN as shipped");
  public static final EngineConfig PAD16 = new EngineConfig("pad16", null, true, true,
      "oneDNN, convolution channels zero-padded to multiples of 16");
  public static final EngineConfig AVX2_PAD16 = new EngineConfig("avx2-pad16", "AVX2", true, true,
      "oneDNN capped at AVX2, channels padded to multiples of 16");
  public static final EngineConfig AVX = new EngineConfig("avx", "AVX", false, true,
      "oneDNN capped at AVX (no JIT convolutions)");
  public static final EngineConfig NATIVE = new EngineConfig("native", null, false, false,
      "oneDNN off: ATen's own kernels");

  /** In the order the self-check tries them: the measured fastest first (README, Performance). */
  public static final List<EngineConfig> CANDIDATES = List.of(ONEDNN, PAD16, AVX2_PAD16, AVX, NATIVE);

  /** True when this configuration can run in a process started without special environment. */
  public boolean inProcess() {
    return isaCap == null;
  }

  /** The configuration called {@code name} (as in {@code MEDSSL_ENGINE}), or a one-line error. */
  public static EngineConfig named(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    return CANDIDATES.stream().filter(c -> c.name.equals(wanted)).findFirst()
        .orElseThrow(() -> new MedsslException("MEDSSL_ENGINE: unknown engine configuration '" + name + "'; expected auto, "
            + CANDIDATES.stream().map(EngineConfig::name).collect(Collectors.joining(", "))));
  }
}
