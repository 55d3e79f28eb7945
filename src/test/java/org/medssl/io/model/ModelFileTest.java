package org.medssl.io.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.medssl.MedsslException;
import org.medssl.tensor.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
  @TempDir
  Path dir;

  private ModelFile sample() {
    ObjectNode meta = ModelFile.newMetadata();
    meta.put("kind", "test");
    Map<String, TensorData> w = new LinkedHashMap<>();
    w.put("a.w", new TensorData(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, Float.MIN_VALUE}));
    w.put("b", new TensorData(new long[] {1}, new float[] {-0.5f}));
    return new ModelFile(meta, w);
  }

  @Test
  void roundTripsMetadataAndWeightsExactly() {
    Path p = dir.resolve("m.medssl");
    sample().write(p);
    ModelFile back = ModelFile.read(p);
    assertEquals("test", back.metadata().path("kind").asText());
    assertEquals(ModelFile.FORMAT_VERSION, back.metadata().path("formatVersion").asInt());
    assertArrayEquals(new long[] {2, 3}, back.weights().get("a.w").shape());
    assertArrayEquals(sample().weights().get("a.w").values(), back.weights().get("a.w").values());
    assertEquals(java.util.List.of("a.w", "b"), java.util.List.copyOf(back.weights().keySet()));
  }

  @Test
  void truncatedFileIsAClearError() throws Exception {
    Path p = dir.resolve("m.medssl");
    sample().write(p);
    byte[] bytes = Files.readAllBytes(p);
    Files.write(p, Arrays.copyOf(bytes, bytes.length / 2));
    MedsslException e = assertThrows(MedsslException.class, () -> ModelFile.read(p));
    assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
  }

  @Test
  void notAModelFileIsAClearError() throws Exception {
    Path p = dir.resolve("x.medssl");
    Files.writeString(p, "hello");
    MedsslException e = assertThrows(MedsslException.class, () -> ModelFile.read(p));
    assertTrue(e.getMessage().contains("not a medssl model file"), e.getMessage());
    MedsslException missing = assertThrows(MedsslException.class, () -> ModelFile.read(dir.resolve("none.medssl")));
    assertTrue(missing.getMessage().endsWith("does not exist"), missing.getMessage());
  }
}
