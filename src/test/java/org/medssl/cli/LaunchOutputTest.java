package org.medssl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rank 0's output reaches the terminal in whole lines, so other ranks' lines cannot land inside one. */
class LaunchOutputTest {
  /** Hands out the given pieces one read at a time, as a pipe does. */
  private static InputStream pieces(String... parts) {
    Deque<byte[]> left = new ArrayDeque<>();
    for (String p : parts) {
      left.add(p.getBytes(StandardCharsets.UTF_8));
    }
    return new InputStream() {
      @Override
      public int read() {
        throw new UnsupportedOperationException();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left.isEmpty()) {
          return -1;
        }
        byte[] next = left.poll();
        int n = Math.min(len, next.length);
        System.arraycopy(next, 0, b, off, n);
        if (n < next.length) {
          left.addFirst(java.util.Arrays.copyOfRange(next, n, next.length));
        }
        return n;
      }
    };
  }

  /** Records what each write carried. */
  private static final class Writes extends OutputStream {
    final List<String> writes = new ArrayList<>();
    final ByteArrayOutputStream all = new ByteArrayOutputStream();

    @Override
    public void write(int b) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (len > 0) {
        writes.add(new String(b, off, len, StandardCharsets.UTF_8));
        all.write(b, off, len);
      }
    }
  }

  @Test
  void aLineSplitAcrossReadsIsWrittenOnlyWhenItEnds() throws IOException {
    Writes out = new Writes();
    LaunchCommand.copyWholeLines(pieces("engine ok\ndata-parallel: rank ", "0 of 2, batch 2\n",
        "\rpretrain 50%", "\rpretrain 100%\n", "no newline at the end"), out);
    assertEquals(List.of("engine ok\n", "data-parallel: rank 0 of 2, batch 2\n", "\r",
        "pretrain 50%\rpretrain 100%\n", "no newline at the end"), out.writes);
  }

  @Test
  void aLineLongerThanTheBufferStillGoesOutWhole() throws IOException {
    String longLine = "x".repeat(20000) + "\n";
    Writes out = new Writes();
    LaunchCommand.copyWholeLines(pieces(longLine, "next\n"), out);
    assertEquals(longLine + "next\n", out.all.toString(StandardCharsets.UTF_8));
  }
}
