package org.medssl.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.medssl.image.Grid;

/** Reads the SciPy fixtures written by {@code src/test/resources/metrics/make_fixtures.py}. */
final class Fixtures {

  private Fixtures() {}

  static JsonNode load(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/metrics/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + name + "; run make_fixtures.py");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Grid grid(JsonNode node) {
    JsonNode s = node.get("shape");
    JsonNode sp = node.get("spacingMm");
    return Grid.of(s.get(0).asInt(), s.get(1).asInt(), s.get(2).asInt(),
        sp.get(0).asDouble(), sp.get(1).asDouble(), sp.get(2).asDouble());
  }

  /** A mask stored as the list of its x-fastest linear indices. */
  static boolean[] mask(JsonNode indices, Grid grid) {
    boolean[] m = new boolean[grid.size()];
    indices.forEach(i -> m[i.asInt()] = true);
    return m;
  }

  static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }

  /** A number, or NaN for JSON null (a missing distance). */
  static double nullableDouble(JsonNode node) {
    return node == null || node.isNull() ? Double.NaN : node.asDouble();
  }
}
