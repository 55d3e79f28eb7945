package org.medssl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A study worker's progress lines: one per interval, with the time left estimated from the rate so far. */
class ProgressLinesTest {
  private long now;

  @Test
  void aLongPhaseSaysWhereItIsOncePerIntervalAndAShortOneSaysNothing() {
    List<String> lines = new ArrayList<>();
    ProgressLines p = new ProgressLines(lines::add, () -> now);
    p.begin("pretrain pgl~s0", 1000);
    for (int step = 1; step <= 1000; step++) {
      now += TimeUnit.SECONDS.toNanos(1); // 1 s per step: a line every 120 steps
      p.step(step, "pgl loss 0.2000");
    }
    p.end();
    assertEquals(8, lines.size(), lines.toString());
    assertEquals("pretrain pgl~s0: step 120 of 1000 (12 %), 2:00 elapsed, about 14:40 left, pgl loss 0.2000",
        lines.get(0));
    assertEquals("pretrain pgl~s0: step 960 of 1000 (96 %), 16:00 elapsed, about 0:40 left, pgl loss 0.2000",
        lines.get(7));

    lines.clear();
    p.begin("finetune random-n1-s0", 600);
    for (int step = 1; step <= 600; step++) {
      now += TimeUnit.MILLISECONDS.toNanos(100); // a 60 s cell
      p.step(step, "loss 0.5");
    }
    assertEquals(List.of(), lines);
  }

  @Test
  void clockFormat() {
    assertEquals("0:05", ProgressLines.clock(5));
    assertEquals("14:40", ProgressLines.clock(880));
    assertEquals("2:03:04", ProgressLines.clock(7384));
  }
}
