package org.medssl.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.junit.jupiter.api.Test;
import org.medssl.data.PatchSize;
import org.medssl.nn.Dims;
import org.medssl.nn.NormKind;
import org.medssl.nn.SegNetConfig;

/** The {@code inference} section of model files: written for 3D models, checked when read. */
class ModelSpecWindowTest {
  private static final SegNetConfig NET3D = new SegNetConfig(Dims.THREE, 1, 2, new int[] {4, 8, 16}, NormKind.INSTANCE);
  private static final SegNetConfig NET2D = new SegNetConfig(Dims.TWO, 1, 2, new int[] {4, 8, 16}, NormKind.INSTANCE);

  @Test
  void aWindowRoundTripsAndTwoDimensionalModelsHaveNone() {
    SlidingWindow w = new SlidingWindow(new PatchSize(16, 32, 48), 0.25);
    assertEquals(w, ModelSpec.window(ModelSpec.inference(w), NET3D));
    assertNull(ModelSpec.window(MissingNode.getInstance(), NET2D), "files written before 3D existed");
  }

  @Test
  void inconsistentWindowsAreRefusedWithWhatIsWrong() throws Exception {
    assertRefused(NET2D, "{\"method\": \"sliding-window\", \"patch\": [16, 32, 32], \"overlap\": 0.5}",
        "inference settings are for 3D models");
    assertRefused(NET3D, null, "a 3D model needs inference.method 'sliding-window'");
    assertRefused(NET3D, "{\"method\": \"sliding-window\", \"patch\": [16, 32], \"overlap\": 0.5}",
        "inference.patch must be a list of 3 sizes");
    assertRefused(NET3D, "{\"method\": \"sliding-window\", \"patch\": [16, 30, 32], \"overlap\": 0.5}",
        "inference.patch 16,30,32 is not divisible by the network's downsampling factor 4");
    assertRefused(NET3D, "{\"method\": \"sliding-window\", \"patch\": [16, -32, 32], \"overlap\": 0.5}",
        "inference.patch must be an integer in 1..512");
    assertRefused(NET3D, "{\"method\": \"sliding-window\", \"patch\": [16, 32, 32], \"overlap\": \"half\"}",
        "inference.overlap must be a number");
    assertRefused(NET3D, "{\"method\": \"sliding-window\", \"patch\": [16, 32, 32], \"overlap\": 1.0}",
        "overlap must be in [0, 0.95], got 1.0");
  }

  private static void assertRefused(SegNetConfig cfg, String json, String message) throws Exception {
    JsonNode n = json == null ? MissingNode.getInstance() : new ObjectMapper().readTree(json);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.window(n, cfg));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
