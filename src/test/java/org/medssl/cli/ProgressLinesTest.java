package org.medssl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A study worker's progress lines: one per interval, with the time left estimated from the rate so far. */
class ProgressLinesTest {
  private long now;

  private void run(ProgressLines p, int from, int to, long millisPerStep, String message) {
    for (int step = from; step <= to; step++) {
      now += TimeUnit.MILLISECONDS.toNanos(millisPerStep);
      p.step(step, message);
    }
  }

  @Test
  void aLongPhaseSaysWhereItIsOncePerIntervalAndAShortOneSaysNothing() {
    List<String> lines = new ArrayList<>();
    ProgressLines p = new ProgressLines(lines::add, () -> now);
    p.begin("pretrain pgl~s0", 1000);
    now += TimeUnit.SECONDS.toNanos(30); // setup before the first step is not a step's time
    run(p, 1, 1000, 1000, "pgl loss 0.2000");
    p.end();
    assertEquals(8, lines.size(), lines.toString());
    assertEquals("pretrain pgl~s0: step 90 of 1000 (9 %), 2:00 elapsed, about 15:10 left, pgl loss 0.2000",
        lines.get(0));
    assertEquals("pretrain pgl~s0: step 930 of 1000 (93 %), 16:00 elapsed, about 1:10 left, pgl loss 0.2000",
        lines.get(7));

    lines.clear();
    p.begin("finetune random-n1-s0", 600);
    run(p, 1, 600, 100, "loss 0.5"); // a 60 s cell
    assertEquals(List.of(), lines);
  }

  @Test
  void aResumedPhaseEstimatesFromItsOwnSteps() {
    List<String> lines = new ArrayList<>();
    ProgressLines p = new ProgressLines(lines::add, () -> now);
    p.begin("pretrain pgl~s0", 11520);
    run(p, 5001, 6000, 120, "pgl loss 0.2"); // resumed at step 5000: 1000 steps in 120 s
    assertEquals("pretrain pgl~s0: step 6000 of 11520 (52 %), 2:00 elapsed, about 11:02 left, pgl loss 0.2",
        lines.get(0));
  }

  @Test
  void clockFormat() {
    assertEquals("0:05", ProgressLines.clock(5));
    assertEquals("14:40", ProgressLines.clock(880));
    assertEquals("2:03:04", ProgressLines.clock(7384));
  }
}
