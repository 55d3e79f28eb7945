package org.medssl.io.pytorch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Protocol-2 pickle opcodes, enough for a state dict as {@code torch.save} writes it ({@link TorchArchive}). */
final class PickleWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  PickleWriter() {
    out.write(0x80);
    out.write(2);
  }

  PickleWriter global(String module, String name) {
    out.write('c');
    out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    return this;
  }

  PickleWriter string(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write('X');
    int32(b.length);
    out.writeBytes(b);
    return this;
  }

  PickleWriter integer(long v) {
    if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      out.write('J');
      int32((int) v);
    } else {
      out.write(0x8a);
      out.write(8);
      for (int i = 0; i < 8; i++) {
        out.write((int) (v >>> (8 * i)) & 0xff);
      }
    }
    return this;
  }

  PickleWriter longs(long[] values) {
    mark();
    for (long v : values) {
      integer(v);
    }
    return tuple();
  }

  PickleWriter bool(boolean b) {
    out.write(b ? 0x88 : 0x89);
    return this;
  }

  PickleWriter mark() {
    out.write('(');
    return this;
  }

  PickleWriter tuple() {
    out.write('t');
    return this;
  }

  PickleWriter emptyTuple() {
    out.write(')');
    return this;
  }

  PickleWriter reduce() {
    out.write('R');
    return this;
  }

  PickleWriter persistentId() {
    out.write('Q');
    return this;
  }

  PickleWriter setItems() {
    out.write('u');
    return this;
  }

  byte[] stop() {
    out.write('.');
    return out.toByteArray();
  }

  private void int32(int v) {
    for (int i = 0; i < 4; i++) {
      out.write((v >>> (8 * i)) & 0xff);
    }
  }
}
