package org.medssl.tensor;

/**
 * The configuration this process runs, the verdict behind it (null when the user named one and
 * none is cached), whether {@code --precision auto} means bf16, and one line saying why.
 */
public record EngineChoice(EngineConfig config, EngineVerdict verdict, boolean bf16, String logLine) {}
