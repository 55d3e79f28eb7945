package org.medssl.tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a self-check verdict depends on: the CPU (vendor, family, model, stepping, microcode, flags,
 * reported cache size), the thread count, the libtorch build, the probe set, and the environment
 * variables that change which kernels oneDNN and ATen pick. A verdict is reused only where all of
 * these match, so a new CPU, a libtorch upgrade or a changed check runs the self-check again.
 *
 * <p>Reading it touches no native code, so a launcher can look up a cached verdict before libtorch loads.
 */
public record CpuSignature(String key, String cpu) {
  /**
   * Bump when the way {@link SelfCheck} runs a probe changes; the probe set and tolerances are part
   * of the key already ({@link OpProbes#fingerprint()}).
   */
  static final int CHECK_VERSION = 1;
  private static final List<String> CPU_FIELDS = List.of("vendor_id", "cpu family", "model", "model name", "stepping",
      "microcode", "cache size", "flags");
  private static final List<String> KERNEL_ENV = List.of("ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA",
      "ONEDNN_DEFAULT_FPMATH_MODE", "ATEN_CPU_CAPABILITY");

  /** The signature of this machine and process for {@code threads} intra-op threads. */
  public static CpuSignature current(int threads) {
    Map<String, String> cpu = cpuInfo();
    StringBuilder text = new StringBuilder();
    cpu.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    text.append("cores=").append(Runtime.getRuntime().availableProcessors()).append('\n');
    text.append("threads=").append(threads).append('\n');
    text.append("engine=").append(Engine.libtorchVersion()).append('\n');
    text.append("check=").append(CHECK_VERSION).append('\n').append(OpProbes.fingerprint()).append('\n');
    for (String name : KERNEL_ENV) {
      text.append(name).append('=').append(setByUser(name) ? System.getenv().getOrDefault(name, "") : "").append('\n');
    }
    String name = cpu.getOrDefault("model name", System.getProperty("os.arch")) + " (family "
        + cpu.getOrDefault("cpu family", "?") + ", model " + cpu.getOrDefault("model", "?") + ")";
    return new CpuSignature(sha256(text.toString()).substring(0, 16) + "-t" + threads, name);
  }

  /**
   * False for the instruction-set cap a {@link Relaunch} set: the restarted process must find the
   * verdict its parent made (which chose that cap), not check again under it.
   */
  private static boolean setByUser(String name) {
    return System.getenv(Relaunch.MARKER) == null || !name.equals(Engine.ISA_VARIABLE);
  }

  /** The first processor's fields of /proc/cpuinfo that identify the CPU; empty where not Linux. */
  private static Map<String, String> cpuInfo() {
    Map<String, String> out = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.isBlank() && !out.isEmpty()) {
          break; // the first processor is enough
        }
        int colon = line.indexOf(':');
        if (colon > 0) {
          String field = line.substring(0, colon).trim();
          if (CPU_FIELDS.contains(field)) {
            out.put(field, line.substring(colon + 1).trim());
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      out.put("os.arch", System.getProperty("os.arch")); // still a stable key, just a coarser one
    }
    return out;
  }

  /** The CPU flags line with a space at each end, or an empty string. */
  static String flags() {
    return " " + cpuInfo().getOrDefault("flags", "") + " ";
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
