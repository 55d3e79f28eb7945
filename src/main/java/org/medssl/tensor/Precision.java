package org.medssl.tensor;

import java.util.Locale;
import org.medssl.MedsslException;

/** Numeric precision of the forward pass; losses and metrics are always computed in fp32. */
public enum Precision {
  FP32,
  /** bf16 autocast for convolutions and matmuls, fp32 weights and optimiser state. */
  BF16;

  /**
   * Parses {@code auto|fp32|bf16}. auto is bf16 only where the self-check found the bf16 path
   * correct and measured it faster than fp32 on this CPU ({@link EngineChoice#bf16()}). bf16 asked
   * for by name is refused where its checks failed: it would compute wrong numbers.
   */
  public static Precision parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "auto" -> Engine.choice().bf16() ? BF16 : FP32;
      case "fp32", "float32" -> FP32;
      case "bf16", "bfloat16" -> checkedBf16();
      default -> throw new MedsslException("--precision: expected auto, fp32 or bf16, got '" + text + "'");
    };
  }

  private static Precision checkedBf16() {
    EngineChoice choice = Engine.choice();
    if (choice.verdict() != null) {
      choice.verdict().candidate(choice.config().name())
          .filter(c -> c.checks(BF16) > 0 && !c.passes(BF16))
          .ifPresent(c -> {
            throw new MedsslException("--precision bf16: the bf16 path computes wrong numbers on this CPU with engine "
                + choice.config().name() + " (" + c.describe(BF16) + "); use fp32 or auto (./medssl doctor shows the table)");
          });
    }
    return BF16;
  }

  /** True on CPUs with native bf16 arithmetic (AMX-BF16 or AVX512-BF16), where bf16 can be faster. */
  static boolean hardwareBf16() {
    String flags = CpuSignature.flags();
    return flags.contains(" amx_bf16 ") || flags.contains(" avx512_bf16 ");
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
