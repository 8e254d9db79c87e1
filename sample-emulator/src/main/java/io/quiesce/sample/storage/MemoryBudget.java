package io.quiesce.sample.storage;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request and response bodies that all requests together may hold in memory at once
 * (uploads on their way to a temp file, SQS and DeleteObjects bodies being parsed, objects being
 * checked before they are sent). A request that cannot reserve what it needs is refused with a
 * "slow down" error the SDKs retry, instead of the heap running out. Thread-safe, lock-free.
 *
 * <p>In memory mode the stored objects and messages themselves live on the heap and are not
 * counted: only what is in transit is.
 */
public final class MemoryBudget {

  /** The smallest budget {@link #forHeap} gives, whatever the heap. */
  static final long MIN_BYTES = 16L * 1024 * 1024;

  private final long limit;
  private final AtomicLong used = new AtomicLong();

  public MemoryBudget(long limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("a memory budget must be positive, was " + limit);
    }
    this.limit = limit;
  }

  /** A quarter of the maximum heap (at least 16 MiB): what a heap of any size can spare for bodies in transit. */
  public static MemoryBudget forHeap() {
    return new MemoryBudget(Math.max(MIN_BYTES, Runtime.getRuntime().maxMemory() / 4));
  }

  /** Reserves {@code bytes}; false (and nothing reserved) if that would pass the limit. */
  public boolean tryReserve(long bytes) {
    long now;
    do {
      now = used.get();
      if (now + bytes > limit) {
        return false;
      }
    } while (!used.compareAndSet(now, now + bytes));
    return true;
  }

  /** Gives back what {@link #tryReserve} reserved. */
  public void release(long bytes) {
    used.addAndGet(-bytes);
  }

  /** Bytes reserved now. */
  public long used() {
    return used.get();
  }

  public long limit() {
    return limit;
  }

  /** Bytes that may still be reserved now. */
  public long available() {
    return limit - used.get();
  }
}
