package org.medssl.data;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.IntFunction;

/**
 * Produces items {@code 0..total-1} on a background thread, a few ahead of the consumer, so data
 * preparation overlaps the training step. The producer gets the step index and must derive any
 * randomness from it: the items are then identical however the threads interleave.
 */
public final class PrefetchLoader<T> implements AutoCloseable {
  private final BlockingQueue<Object> queue;
  private final Thread worker;
  private int consumed;
  private final int total;

  private record Failure(RuntimeException error) {}

  public PrefetchLoader(IntFunction<T> producer, int total, int ahead) {
    this.total = total;
    this.queue = new ArrayBlockingQueue<>(Math.max(1, ahead));
    this.worker = new Thread(() -> run(producer), "medssl-prefetch");
    worker.setDaemon(true);
    worker.start();
  }

  private void run(IntFunction<T> producer) {
    try {
      for (int i = 0; i < total; i++) {
        queue.put(produce(producer, i));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Object produce(IntFunction<T> producer, int i) {
    try {
      return producer.apply(i);
    } catch (RuntimeException e) {
      return new Failure(e);
    }
  }

  /** The next item, in order; rethrows a producer failure on the consumer's thread. */
  @SuppressWarnings("unchecked")
  public T next() {
    if (consumed >= total) {
      throw new IllegalStateException("all " + total + " items consumed");
    }
    try {
      Object item = queue.take();
      consumed++;
      if (item instanceof Failure f) {
        throw f.error();
      }
      return (T) item;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for data", e);
    }
  }

  @Override
  public void close() {
    worker.interrupt();
  }
}
