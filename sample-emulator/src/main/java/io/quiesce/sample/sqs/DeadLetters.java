package io.quiesce.sample.sqs;

import io.quiesce.sample.storage.MessageStore.StoredMessage;
import io.quiesce.sample.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Moves messages received more often than their queue's redrive policy allows to its dead-letter
 * queue: stored there (keeping their id, body, attributes and sent time) before they are deleted
 * from the source, so a crash in between leaves a duplicate, never a loss. If the dead-letter
 * queue is gone, they stay in the source, as in SQS.
 */
final class DeadLetters {

  private static final Logger LOG = LogManager.getLogger(DeadLetters.class);
  /** The key in a moved message's meta naming the queue it came from. */
  private static final String SOURCE = "dead_letter_source";

  private final Storage storage;
  private final Map<String, Queue> queues;

  DeadLetters(Storage storage, Map<String, Queue> queues) {
    this.storage = storage;
    this.queues = queues;
  }

  /** The receive count after which {@code q}'s messages are moved; 0 when it has no policy or its target is gone. */
  int maxReceiveCount(Queue q) {
    RedrivePolicy p = RedrivePolicy.of(q.config().attributes());
    return p == null || target(p) == null ? 0 : p.maxReceiveCount();
  }

  /** Moves {@code dead}, taken out of {@code source} by a receive; completes when they are where they belong. */
  Future<Void> move(Queue source, List<StoredMessage> dead) {
    return storage.<Void>blocking(() -> {
      RedrivePolicy p = RedrivePolicy.of(source.config().attributes());
      Queue target = p == null ? null : target(p);
      if (target == null) {
        source.putBack(dead);
        return null;
      }
      long seq = target.reserveSeqs(dead.size());
      List<StoredMessage> moved = new ArrayList<>();
      for (StoredMessage m : dead) {
        JsonObject meta = m.meta().copy();
        meta.remove("delay"); // served in the source queue
        meta.put(SOURCE, source.name());
        moved.add(new StoredMessage(m.id(), seq++, m.body(), m.md5(), m.sentMillis(), meta));
      }
      try {
        storage.messages().save(target.name(), moved);
      } catch (Exception e) {
        source.putBack(dead);
        throw e;
      }
      storage.messages().delete(source.name(), dead.stream().map(StoredMessage::seq).toList());
      target.add(moved);
      return null;
    }).recover(e -> {
      LOG.warn("Could not move {} message(s) of queue {} to its dead-letter queue; they stay in it", dead.size(), source.name(), e);
      return Future.succeededFuture();
    });
  }

  /** The queue {@code m} was moved from, for its DeadLetterQueueSourceArn; null if it was sent where it is. */
  static String sourceOf(StoredMessage m) {
    return m.meta().getString(SOURCE);
  }

  /** The names of the queues whose redrive policy targets {@code dlq} (ListDeadLetterSourceQueues). */
  List<String> sourcesOf(String dlq) {
    return queues.values().stream().filter(q -> !q.deleted())
        .filter(q -> {
          RedrivePolicy p = RedrivePolicy.of(q.config().attributes());
          return p != null && p.targetName().equals(dlq);
        })
        .map(Queue::name).toList();
  }

  private Queue target(RedrivePolicy p) {
    Queue q = queues.get(p.targetName());
    return q == null || q.deleted() ? null : q;
  }
}
