package org.medssl.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.medssl.data.PrefetchLoader;
import org.medssl.data.Seeds;
import org.medssl.tensor.Distributed;
import org.medssl.tensor.DivergenceGuard;
import org.medssl.tensor.Optimizer;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.Precision;
import org.medssl.tensor.Schedule;

/**
 * The training loop: for each phase its optimiser, the learning rate on warm-up + cosine over the
 * phase (warm-up at most a fifth of it, decaying to 1 % of the peak), a batch per step prepared
 * ahead on a background thread from the seed derived for that global step (so a run repeats bit
 * for bit and a resumed run draws what the uninterrupted one would), one {@link TrainingStep} per
 * step with its divergence check, and the listener chain after it.
 */
public final class Trainer {
  /** The smallest share of a phase its warm-up may take: a fifth. */
  static final int WARMUP_SHARE = 5;

  /**
   * @param what names the run in divergence messages ("training", "pretraining")
   * @param learningRate the peak learning rate of every phase
   * @param warmupSteps the warm-up of each phase (at most a fifth of the phase)
   * @param saneLearningRate the highest peak rate with which this optimiser trains normally (for
   *     the divergence message)
   * @param prefetch batches prepared ahead
   * @param group the processes this run trains with (data parallelism), or null for this one alone
   */
  public record Settings(String what, double learningRate, int warmupSteps, double saneLearningRate, long seed,
      Precision precision, int prefetch, Distributed group) {

    /** A run of this process alone. */
    public Settings(String what, double learningRate, int warmupSteps, double saneLearningRate, long seed,
        Precision precision, int prefetch) {
      this(what, learningRate, warmupSteps, saneLearningRate, seed, precision, prefetch, null);
    }

    /** The same run in a group of processes (null: alone). */
    public Settings inGroup(Distributed g) {
      return new Settings(what, learningRate, warmupSteps, saneLearningRate, seed, precision, prefetch, g);
    }
  }

  /** Where a resumed run starts: after global step {@code step}, with its optimiser's state then. */
  public record Resume(int step, double seconds, byte[] optimizer) {
    public Resume {
      optimizer = optimizer.clone();
    }

    @Override
    public byte[] optimizer() {
      return optimizer.clone();
    }
  }

  /** What a run did: its steps (fewer than planned when a listener stopped it) and training time. */
  public record Result(int steps, double seconds, boolean stoppedEarly) {}

  private final Settings settings;

  public Trainer(Settings settings) {
    this.settings = settings;
  }

  /** The learning rate of step {@code i} (from 0) of a phase of {@code steps}. */
  public double learningRate(int i, int steps) {
    return Schedule.warmupCosine(i, steps, Math.min(settings.warmupSteps(), steps / WARMUP_SHARE),
        settings.learningRate(), 0.01);
  }

  /**
   * Runs the phases, checkpointed as {@code request} asks (null: not at all) and resumed from its
   * checkpoint when it says so; the checkpoint carries {@code weights} and the state of every
   * {@link Stateful} listener.
   */
  public Result run(List<? extends Phase<?>> phases, List<? extends TrainingListener> listeners, ParamStore weights,
      Checkpointer.Request request) {
    Distributed group = settings.group();
    List<TrainingListener> chain = new ArrayList<>(listeners);
    Resume from = null;
    if (request != null) {
      List<Stateful> parts = chain.stream().filter(Stateful.class::isInstance).map(Stateful.class::cast).toList();
      Checkpointer checkpointer = new Checkpointer(request, weights, parts);
      from = checkpointer.resume(phases.stream().mapToInt(Phase::steps).sum()); // every rank reads it
      if (group == null || group.rank() == 0) {
        chain.add(checkpointer); // one writer
      }
    }
    if (group != null) {
      group.broadcastFromRankZero(List.copyOf(weights.named().values())); // resumed or fresh, rank 0's weights
    }
    return run(phases, chain, from);
  }

  /** Runs the phases from the start, or from {@code from} (null: the start). */
  public Result run(List<? extends Phase<?>> phases, List<? extends TrainingListener> listeners, Resume from) {
    int total = phases.stream().mapToInt(Phase::steps).sum();
    int resumeStep = from == null ? 0 : from.step();
    double earlier = from == null ? 0 : from.seconds();
    long start = System.nanoTime();
    Optimizer current = null;
    int offset = 0;
    try {
      for (Phase<?> phase : phases) {
        Optimizer previous = current;
        current = phase.optimizer().open(previous);
        if (previous != null && previous != current) {
          previous.close();
        }
        phase.onStart().run();
        int first = Math.max(0, Math.min(phase.steps(), resumeStep - offset));
        if (resumesIn(resumeStep, offset, phase.steps()) && (first > 0 || previous == current)) {
          current.loadState(from.optimizer()); // a fresh phase optimiser starts empty
        }
        int done = runPhase(phase, current, offset, first, total, listeners, earlier, start);
        if (done < 0) {
          return new Result(offset - done, earlier + (System.nanoTime() - start) / 1e9, true);
        }
        offset += phase.steps();
      }
    } finally {
      if (current != null) {
        current.close();
      }
    }
    return new Result(total, earlier + (System.nanoTime() - start) / 1e9, false);
  }

  /**
   * The seed this process draws its batches from: the run's for a process alone and for rank 0 (so
   * rank 0 of a group draws what a single process would), one derived from the rank for the others.
   */
  long rankSeed() {
    Distributed g = settings.group();
    return g == null || g.rank() == 0 ? settings.seed() : Seeds.derive(settings.seed(), -g.rank());
  }

  /** Whether a run resumed after step {@code resumeStep} continues inside (or at the start of) this phase. */
  private static boolean resumesIn(int resumeStep, int offset, int steps) {
    return resumeStep > 0 && resumeStep >= offset && resumeStep < offset + steps;
  }

  /**
   * Runs the phase's steps from {@code first}; returns the phase's steps, or minus the steps done
   * when a listener stopped the run.
   */
  private <B> int runPhase(Phase<B> phase, Optimizer opt, int offset, int first, int total,
      List<? extends TrainingListener> listeners, double earlier, long start) {
    if (first == phase.steps()) {
      return first; // finished before the checkpoint
    }
    String label = settings.what() + (phase.name().isEmpty() ? "" : " (stage " + phase.name() + ")");
    DivergenceGuard guard = new DivergenceGuard(label, settings.learningRate(), settings.saneLearningRate());
    TrainingStep<B> step = new TrainingStep<>(phase.objective(), opt, settings.precision(), phase.afterStep())
        .inGroup(settings.group());
    long seed = rankSeed();
    try (PrefetchLoader<B> loader = new PrefetchLoader<>(i -> phase.inputs().sample(
        new SplittableRandom(Seeds.derive(seed, offset + first + i))), phase.steps() - first,
        settings.prefetch())) {
      for (int i = first; i < phase.steps(); i++) {
        int global = offset + i + 1;
        double lr = learningRate(i, phase.steps());
        opt.setLearningRate(lr);
        TrainingStep.Result r = step.train(loader.next(), global, total, v -> guard.check(v, global));
        StepEvent event = new StepEvent(phase.name(), global, total, i == phase.steps() - 1, r.loss(),
            r.embeddingStd(), r.embeddingDim(), lr, earlier + (System.nanoTime() - start) / 1e9, opt);
        boolean stop = false;
        for (TrainingListener l : listeners) {
          l.onStep(event);
        }
        for (TrainingListener l : listeners) {
          stop |= l.stopRequested();
        }
        if (stop) {
          return -(i + 1);
        }
      }
    }
    return phase.steps();
  }
}
