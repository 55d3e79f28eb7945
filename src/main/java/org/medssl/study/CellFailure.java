package org.medssl.study;

/**
 * A cell that ran and failed (its training or its pretraining diverged). Stored like a result so
 * a rerun with the same settings does not repeat a failure that is deterministic; a rerun with
 * other settings, or after deleting the file, tries again.
 */
public record CellFailure(Cell cell, String fingerprint, String settings, String error, String medsslVersion,
    String precision, String configSha, String failedAt) {}
