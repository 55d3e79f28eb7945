package org.medssl.io.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.medssl.image.Affine;

/**
 * The committed fixtures under {@code src/test/resources/nifti}: NIfTI files written by nibabel
 * and their JSON sidecars with nibabel's readings (see make_fixtures.py there).
 */
final class NiftiFixtures {

  /** Python's json writes NaN and Infinity literals; the sidecars need them. */
  static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private NiftiFixtures() {}

  static Path dir() {
    try {
      return Path.of(NiftiFixtures.class.getResource("/nifti/make_fixtures.py").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path path(String file) {
    return dir().resolve(file);
  }

  /** Sidecar of an image fixture, e.g. {@code "int16_scaled_qform"}. */
  static JsonNode sidecar(String stem) {
    return json(stem + ".json");
  }

  static JsonNode json(String file) {
    try {
      return JSON.readTree(path(file).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stems of all image fixtures (sidecars that describe a file). */
  static List<String> stems() {
    try (Stream<Path> files = Files.list(dir())) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json"))
          .map(n -> n.substring(0, n.length() - 5))
          .filter(stem -> sidecar(stem).has("file"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path imagePath(String stem) {
    return path(sidecar(stem).get("file").asText());
  }

  static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }

  static Affine affine(JsonNode rows) {
    double[] m = new double[16];
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        m[r * 4 + c] = rows.get(r).get(c).asDouble();
      }
    }
    return new Affine(m);
  }

  static void assertAffine(Affine expected, Affine actual, double tol, String what) {
    assertTrue(expected.approxEquals(actual, tol),
        what + ": expected " + expected + " but was " + actual);
  }

  /** Equal up to a relative tolerance, NaN equal to NaN, infinities exact. */
  static void assertClose(double expected, double actual, double relTol, String what) {
    if (Double.isNaN(expected) || Double.isInfinite(expected)) {
      assertEquals(expected, actual, what);
      return;
    }
    double tol = relTol * Math.max(1, Math.abs(expected));
    assertTrue(Math.abs(expected - actual) <= tol, what + ": expected " + expected + " but was "
        + actual);
  }
}
