package org.medssl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Native handling stays in the engine package: no other package imports org.bytedeco. */
class ArchitectureTest {

  @Test
  void onlyTheTensorPackageTouchesNativeCode() throws IOException {
    Path root = Path.of("src/main/java/org/medssl");
    List<String> offenders;
    try (Stream<Path> files = Files.walk(root)) {
      offenders = files.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !p.startsWith(root.resolve("tensor")))
          .filter(ArchitectureTest::importsBytedeco)
          .map(Path::toString)
          .toList();
    }
    assertEquals(List.of(), offenders);
  }

  private static boolean importsBytedeco(Path p) {
    try {
      return Files.readString(p).contains("org.bytedeco");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
