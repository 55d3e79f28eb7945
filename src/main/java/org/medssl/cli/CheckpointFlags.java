package org.medssl.cli;

import org.medssl.train.Checkpointer;
import picocli.CommandLine.Option;

/** {@code --resume} and {@code --checkpoint-every}, shared by the commands that train. */
final class CheckpointFlags {
  @Option(names = "--resume", description = "Continue from the checkpoint beside --out (<out>.ckpt) if there is one.")
  boolean resume;

  @Option(names = "--checkpoint-every", defaultValue = "100", paramLabel = "N",
      description = "Write <out>.ckpt every N steps (and at stage ends) for --resume (default: ${DEFAULT-VALUE}).")
  int every;

  Checkpointer.Policy policy() {
    return new Checkpointer.Policy(every, resume);
  }
}
