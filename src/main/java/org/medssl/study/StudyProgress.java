package org.medssl.study;

/** Progress of the long phases of a study (pretrainings, fine-tunings), e.g. for progress bars; defaults do nothing. */
public interface StudyProgress {
  /** A phase of {@code total} steps starts. */
  default void begin(String task, int total) {}

  default void step(int done, String message) {}

  default void end() {}

  StudyProgress NONE = new StudyProgress() {};
}
