package org.medssl.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.medssl.MedsslException;

/** Numeric precision of the forward pass; losses and metrics are always computed in fp32. */
public enum Precision {
  FP32,
  /** bf16 autocast for convolutions and matmuls, fp32 weights and optimiser state. */
  BF16;

  /** Parses {@code auto|fp32|bf16}; auto picks bf16 where the CPU has native bf16 arithmetic. */
  public static Precision parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "auto" -> detect();
      case "fp32", "float32" -> FP32;
      case "bf16", "bfloat16" -> BF16;
      default -> throw new MedsslException("--precision: expected auto, fp32 or bf16, got '" + text + "'");
    };
  }

  /** BF16 on CPUs with AMX-BF16 or AVX512-BF16 (where bf16 autocast is measured faster), else FP32. */
  public static Precision detect() {
    String flags = cpuFlags();
    return flags.contains(" amx_bf16") || flags.contains(" avx512_bf16") ? BF16 : FP32;
  }

  private static String cpuFlags() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("flags")) {
          return line + " ";
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux or not readable: fall back to fp32, which is always correct.
    }
    return "";
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
