package org.medssl.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.medssl.MedsslException;
import org.medssl.Version;
import org.medssl.io.AtomicFiles;
import org.medssl.io.model.Checkpoint;
import org.medssl.tensor.ParamStore;
import org.medssl.tensor.TensorData;
import org.medssl.tensor.TransferReport;

/**
 * Checkpoints a run beside its output ({@code <out>.ckpt}): every weight, the optimiser's state,
 * the step and training time, and the state of the {@link Stateful} listeners, written atomically
 * every {@code every} steps and at each phase's end (not after the last step: the finished run is
 * saved as its output and the checkpoint removed). {@link #resume} continues a checkpoint of the
 * same run, identified by its settings text.
 */
public final class Checkpointer implements TrainingListener {
  /**
   * Checkpoint layout of this class; a checkpoint without it is from before and is not continued.
   * 3: fine-tuning settings print the backbone's channels (format 2 printed the array's identity,
   * so no other process could ever match them: those are started over instead of refused).
   */
  static final int FORMAT = 3;
  private static final String STATE_PREFIX = "state.";

  /**
   * How often to checkpoint and whether to continue an existing checkpoint.
   *
   * @param sayIfAbsent with {@code resume}, whether a missing checkpoint is worth a log line (yes
   *     for {@code --resume}; a study resumes whatever it finds and says nothing of what it does not)
   */
  public record Policy(int every, boolean resume, boolean sayIfAbsent) {
    public static final int DEFAULT_EVERY = 100;

    public Policy {
      if (every < 1) {
        throw new MedsslException("--checkpoint-every must be at least 1, got " + every);
      }
    }

    public Policy(int every, boolean resume) {
      this(every, resume, true);
    }

    /** Resume a checkpoint when there is one, quietly otherwise. */
    public static Policy resumeWhatIsThere() {
      return new Policy(DEFAULT_EVERY, true, false);
    }

    public static Policy defaults() {
      return new Policy(DEFAULT_EVERY, false);
    }
  }

  /**
   * A run's wish to be checkpointed.
   *
   * @param out the run's output; the checkpoint goes beside it
   * @param kind the run's kind in the metadata ("pretrain", "finetune")
   * @param settings everything that shapes the run: a checkpoint is continued only by a run with the same text
   * @param log where resuming or starting over is said
   */
  public record Request(Path out, String kind, String settings, Policy policy, Consumer<String> log) {}

  private final Path file;
  private final Request request;
  private final ParamStore weights;
  private final List<Stateful> parts;
  private int last;

  /**
   * @param weights every weight the run trains or keeps (targets included)
   * @param parts the listeners whose state the checkpoint carries
   */
  Checkpointer(Request request, ParamStore weights, List<Stateful> parts) {
    this.file = pathFor(request.out());
    this.request = request;
    this.weights = weights;
    this.parts = List.copyOf(parts);
    AtomicFiles.removeLeftovers(file); // a kill during a checkpoint write leaves its temp file
  }

  public static Path pathFor(Path out) {
    return out.resolveSibling(out.getFileName() + ".ckpt");
  }


  @Override
  public void onStep(StepEvent e) {
    if (!e.lastStep() && (e.phaseEnd() || e.step() - last >= request.policy().every())) {
      write(e);
      last = e.step();
    }
  }

  private void write(StepEvent e) {
    ObjectNode meta = Checkpoint.newMetadata();
    meta.put("kind", request.kind() + "-checkpoint");
    meta.put("format", FORMAT);
    meta.put("medsslVersion", Version.current());
    meta.put("settings", request.settings());
    meta.put("step", e.step());
    meta.put("seconds", e.seconds());
    Map<String, TensorData> tensors = new LinkedHashMap<>(weights.snapshot());
    ObjectNode state = meta.putObject("state");
    for (Stateful p : parts) {
      Map<String, TensorData> own = new LinkedHashMap<>();
      p.saveState(state.putObject(p.stateKey()), own);
      own.forEach((name, t) -> tensors.put(STATE_PREFIX + p.stateKey() + "." + name, t));
    }
    new Checkpoint(meta, tensors, e.optimizer().saveState()).write(file);
  }

  /**
   * The point to resume from: with {@code resume} and a checkpoint of this run, its weights and
   * listener states are restored and its step returned; otherwise null (an existing checkpoint is
   * then replaced as the run goes). A checkpoint of another run is an error.
   */
  Trainer.Resume resume(int totalSteps) {
    Consumer<String> log = request.log();
    Policy policy = request.policy();
    if (!Files.isRegularFile(file)) {
      if (policy.resume() && policy.sayIfAbsent()) {
        log.accept("no checkpoint at " + file + "; starting from step 0");
      }
      return null;
    }
    if (!policy.resume()) {
      log.accept("starting over; the checkpoint " + file + " will be replaced (use --resume to continue it)");
      return null;
    }
    Checkpoint c = Checkpoint.read(file);
    ObjectNode meta = c.metadata();
    if (meta.path("format").asInt() != FORMAT) {
      log.accept(file + " was written by an older medssl; starting over (it will be replaced)");
      return null;
    }
    if (!request.settings().equals(meta.path("settings").asText())) {
      throw new MedsslException(file + ": was written by another run (" + meta.path("settings").asText()
          + "); delete it or run without --resume");
    }
    Map<String, TensorData> own = new LinkedHashMap<>();
    c.weights().forEach((name, t) -> {
      if (!name.startsWith(STATE_PREFIX)) {
        own.put(name, t);
      }
    });
    TransferReport r = weights.load(own);
    if (!r.fresh().isEmpty() || !r.unused().isEmpty()) {
      throw new MedsslException(file + ": weights do not match the run's (" + r.fresh().size() + " missing, "
          + r.unused().size() + " unknown)");
    }
    JsonNode state = meta.path("state");
    for (Stateful p : parts) {
      String prefix = STATE_PREFIX + p.stateKey() + ".";
      Map<String, TensorData> tensors = new LinkedHashMap<>();
      c.weights().forEach((name, t) -> {
        if (name.startsWith(prefix)) {
          tensors.put(name.substring(prefix.length()), t);
        }
      });
      p.restoreState(state.path(p.stateKey()), tensors);
    }
    int step = meta.path("step").asInt();
    last = step;
    log.accept("resuming from " + file + " at step " + step + " of " + totalSteps);
    return new Trainer.Resume(step, meta.path("seconds").asDouble(), c.optimizer());
  }

  /** Removes the checkpoint of a finished run whose output is {@code out}. */
  public static void delete(Path out) {
    Path file = pathFor(out);
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new MedsslException(file + ": cannot remove the finished run's checkpoint: " + e.getMessage(), e);
    }
  }
}
