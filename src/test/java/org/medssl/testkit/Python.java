package org.medssl.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code /usr/bin/python3} as an outside oracle (python3-torch, -torchvision, -nibabel):
 * whether a module is there (tests that need it are skipped, not passed, without it), running a
 * script, and raw little-endian float32 files to hand arrays across.
 */
public final class Python {
  public static final String EXECUTABLE = "/usr/bin/python3";

  private Python() {}

  /** True when every module imports. */
  public static boolean has(String... modules) {
    try {
      Process p = new ProcessBuilder(EXECUTABLE, "-c", "import " + String.join(", ", modules))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs {@code script} with {@code args} in {@code dir}; it must succeed. Returns its output. */
  public static String run(Path dir, String script, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(EXECUTABLE, "-c", script));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "python finishes");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  public static void writeFloats(Path file, float[] values) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    Files.write(file, b.array());
  }

  public static float[] readFloats(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[b.remaining() / 4];
    b.asFloatBuffer().get(out);
    return out;
  }
}
