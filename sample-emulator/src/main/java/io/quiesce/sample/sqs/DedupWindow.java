package io.quiesce.sample.sqs;

import io.quiesce.sample.storage.MessageStore.StoredDedup;
import io.quiesce.time.RuntimeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The deduplication ids a FIFO queue has seen in the last five minutes (SQS's deduplication
 * interval), timed on the injected clock. A send whose id is in the window is acknowledged with
 * the first message's id and not enqueued again. Thread-safe; never blocks.
 */
final class DedupWindow {

  static final Duration INTERVAL = Duration.ofMinutes(5);

  /** The message first sent with a deduplication id, and when the id may be used again. */
  record Seen(String messageId, long seq, long expiresAtNanos) {}

  private final RuntimeClock clock;
  private final Map<String, Seen> seen = new HashMap<>();
  /** Stored ids whose interval is over, to forget on disk. */
  private final List<Long> expired = new ArrayList<>();

  /** The window as stored: ids are timed from when they were first seen by the wall clock, {@code nowMillis}. */
  DedupWindow(RuntimeClock clock, List<StoredDedup> stored, long nowMillis) {
    this.clock = clock;
    long now = clock.nanoTime();
    for (StoredDedup d : stored) {
      long left = d.sentMillis() + INTERVAL.toMillis() - nowMillis;
      if (left <= 0) {
        expired.add(d.seq());
      } else {
        seen.put(d.key(), new Seen(d.messageId(), d.seq(), now + Duration.ofMillis(left).toNanos()));
      }
    }
  }

  /**
   * Records {@code key} for the message about to be stored, unless it was seen within the interval.
   *
   * @return the earlier message with that key, or null if this one is new (and now recorded)
   */
  synchronized Seen claim(String key, String messageId, long seq) {
    prune();
    Seen earlier = seen.get(key);
    if (earlier != null) {
      return earlier;
    }
    seen.put(key, new Seen(messageId, seq, clock.nanoTime() + INTERVAL.toNanos()));
    return null;
  }

  /** Withdraws a claim whose message was not stored after all. */
  synchronized void release(String key, long seq) {
    Seen s = seen.get(key);
    if (s != null && s.seq() == seq) {
      seen.remove(key);
    }
  }

  /** The stored ids whose interval is over since the last call: to delete from storage. */
  synchronized List<Long> takeExpired() {
    prune();
    List<Long> out = List.copyOf(expired);
    expired.clear();
    return out;
  }

  private void prune() {
    long now = clock.nanoTime();
    for (Iterator<Seen> it = seen.values().iterator(); it.hasNext(); ) {
      Seen s = it.next();
      if (s.expiresAtNanos() - now <= 0) {
        it.remove();
        expired.add(s.seq());
      }
    }
  }
}
