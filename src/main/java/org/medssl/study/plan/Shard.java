package org.medssl.study.plan;

import org.medssl.MedsslException;

/**
 * One share of a study's cells, in the convention of job arrays: shard {@code index} of
 * {@code count} owns the plan's cells number {@code index}, {@code index + count}, ... Shards of one
 * study can run at the same time on machines that share its directory; together they own every
 * cell once, and the pretrainings they share are run once (the study's file locks).
 */
public record Shard(int index, int count) {
  /** The whole plan. */
  public static final Shard ALL = new Shard(0, 1);

  public Shard {
    if (count < 1 || index < 0 || index >= count) {
      throw new MedsslException("--shard: expected I/N with 0 <= I < N, got " + index + "/" + count);
    }
  }

  /** Parses {@code I/N}. */
  public static Shard parse(String text) {
    String[] parts = text.trim().split("/");
    try {
      if (parts.length == 2) {
        return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new MedsslException("--shard: expected I/N (e.g. 0/4 for the first of four), got '" + text + "'");
  }

  /** Whether the plan's cell number {@code cellIndex} is this shard's. */
  public boolean owns(int cellIndex) {
    return cellIndex % count == index;
  }

  public boolean isAll() {
    return count == 1;
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
