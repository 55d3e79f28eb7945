package org.medssl.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class OrientationTest {

  @Test
  void matchesNibabelAff2axcodes() throws IOException {
    JsonNode cases;
    try (InputStream in = getClass().getResourceAsStream("/nifti/orientation.json")) {
      cases = new ObjectMapper().readTree(in);
    }
    assertEquals(9, cases.size());
    for (JsonNode c : cases) {
      double[] m = new double[16];
      for (int i = 0; i < 16; i++) {
        m[i] = c.get("affine").get(i / 4).get(i % 4).asDouble();
      }
      assertEquals(c.get("axcodes").asText(), Orientation.axisCodes(new Affine(m)),
          c.get("name").asText());
    }
  }

  @Test
  void commonConventions() {
    assertEquals("RAS", Orientation.axisCodes(Affine.ofSpacing(1, 2, 3)));
    assertEquals("LPS", Orientation.axisCodes(Affine.ofSpacing(-1, -1, 3)));
    assertEquals("LAS", Orientation.axisCodes(Affine.ofSpacing(-0.5, 0.5, 0.5)));
  }

  @Test
  void degenerateAxisIsMarked() {
    assertEquals("R?S", Orientation.axisCodes(Affine.ofSpacing(1, 0, 1)));
  }

  @Test
  void closestOrthogonalRemovesShearAndKeepsRotations() {
    double[][] sheared = {{1, 0.2, 0}, {0, 1, 0}, {0, 0, -1}};
    double[][] r = Orientation.closestOrthogonal(sheared);
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double dot = r[0][i] * r[0][j] + r[1][i] * r[1][j] + r[2][i] * r[2][j];
        assertEquals(i == j ? 1 : 0, dot, 1e-12, "column " + i + "·" + j);
      }
    }
    assertEquals(-1, r[2][2], 1e-12, "handedness kept");
    double c = Math.cos(0.3);
    double s = Math.sin(0.3);
    double[][] rotation = {{c, -s, 0}, {s, c, 0}, {0, 0, 1}};
    double[][] same = Orientation.closestOrthogonal(rotation);
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        assertEquals(rotation[i][j], same[i][j], 1e-15);
      }
    }
  }
}
