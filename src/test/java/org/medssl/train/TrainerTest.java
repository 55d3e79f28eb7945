package org.medssl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medssl.tensor.Engine;
import org.medssl.tensor.Init;
import org.medssl.tensor.Optimizer;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.Precision;
import org.medssl.tensor.Tensor;

/** The loop itself, on a one-parameter problem: phases, schedules, optimisers, early stopping. */
class TrainerTest {
  @BeforeAll
  static void engine() {
    Engine.init(1);
  }

  /** Fits w to the batch's target: loss (w - target)^2. */
  private static Objective<Float> fit(Tensor w) {
    return (target, amp) -> StepLoss.of(amp.forward(() -> w.sub(target.doubleValue())).mul(w.sub(target.doubleValue()))
        .sum());
  }

  private static Trainer trainer(int warmup) {
    return new Trainer(new Trainer.Settings("training", 0.1, warmup, Optimizer.ADAM_SANE_LEARNING_RATE, 1,
        Precision.FP32, 2));
  }

  @Test
  void eachPhaseRunsItsOwnWarmupAndCosineWithWarmupAtMostAFifth() {
    try (ParamStore store = new ParamStore()) {
      Tensor w = store.param("w", Init.ZEROS, new SplittableRandom(0), 1);
      List<Double> rates = new ArrayList<>();
      List<String> phases = new ArrayList<>();
      TrainingListener record = new TrainingListener() {
        @Override
        public void onStep(StepEvent e) {
          rates.add(e.learningRate());
          phases.add(e.phase());
        }
      };
      Trainer t = trainer(8);
      Phase<Float> a = Phase.of("a", 10, rng -> 1f, fit(w), () -> Optimizer.adamW(List.of(w), 0.1, 0));
      Phase<Float> b = Phase.of("b", 20, rng -> 1f, fit(w), () -> Optimizer.adamW(List.of(w), 0.1, 0));
      Trainer.Result r = t.run(List.of(a, b), List.of(record), null);
      assertEquals(30, r.steps());
      assertEquals(List.of("a", "b"), List.of(phases.get(0), phases.get(29)));
      // phase a: 10 steps, warm-up capped at 2; phase b: 20 steps, warm-up 4, then cosine to 1 %
      assertEquals(t.learningRate(0, 10), rates.get(0), 0);
      assertTrue(rates.get(1) > rates.get(0) && rates.get(2) >= rates.get(3), rates.toString());
      assertEquals(t.learningRate(0, 20), rates.get(10), 0, "the second phase warms up again");
      assertTrue(rates.get(12) < rates.get(13), "four warm-up steps in a 20-step phase");
      assertEquals(0.1, rates.get(13), 1e-12, "the peak at the warm-up's last step");
      assertTrue(rates.get(29) < rates.get(14), "then cosine decay");
    }
  }

  @Test
  void aKeptOptimiserCarriesOverAndAListenerCanStopTheRun() {
    try (ParamStore store = new ParamStore()) {
      Tensor w = store.param("w", Init.ZEROS, new SplittableRandom(0), 1);
      Optimizer[] seen = new Optimizer[2];
      TrainingListener stopAt25 = new TrainingListener() {
        private int step;

        @Override
        public void onStep(StepEvent e) {
          step = e.step();
          seen[e.phase().equals("a") ? 0 : 1] = e.optimizer();
        }

        @Override
        public boolean stopRequested() {
          return step == 25;
        }
      };
      Phase<Float> a = Phase.of("a", 10, rng -> 3f, fit(w), () -> Optimizer.adamW(List.of(w), 0.1, 0));
      Phase<Float> b = new Phase<>("b", 20, rng -> 3f, fit(w), Phase.OptimizerChoice.keep(),
          TrainingStep.AfterStep.NONE, () -> { });
      Trainer.Result r = trainer(0).run(List.of(a, b), List.of(stopAt25), null);
      assertEquals(25, r.steps());
      assertTrue(r.stoppedEarly());
      assertSame(seen[0], seen[1]);
      assertTrue(w.toFloats()[0] > 1, "w moved towards 3: " + w.toFloats()[0]);
    }
  }
}
