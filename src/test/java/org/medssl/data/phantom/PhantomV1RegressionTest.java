package org.medssl.data.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.medssl.image.Grid;

/**
 * Version 1 phantoms are what finished study cells were computed on: their bytes must never
 * change. The digests were taken from the generator before version 2 existed.
 */
class PhantomV1RegressionTest {

  @Test
  void defaultSubjectIsUnchanged() {
    PhantomSubject s = new PhantomGenerator(PhantomConfig.defaults()).generate(7);
    assertEquals("59c2f7d3e8b225fa1ef072e06a6e73dc", digest(s));
  }

  @Test
  void smallGridSubjectIsUnchanged() {
    PhantomConfig small = PhantomConfig.defaults().withGrid(Grid.of(40, 36, 10, 3.6, 4.0, 9.6));
    PhantomSubject s = new PhantomGenerator(small).generate(123456789L);
    assertEquals("75abc754e694325386986a592ba2ddd4", digest(s));
  }

  static String digest(PhantomSubject s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      float[] v = s.image().voxels();
      int[] l = s.labels().labels();
      ByteBuffer b = ByteBuffer.allocate(8 * v.length);
      for (int i = 0; i < v.length; i++) {
        b.putInt(Float.floatToRawIntBits(v[i])).putInt(l[i]);
      }
      md.update(b.array());
      return HexFormat.of().formatHex(md.digest()).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
