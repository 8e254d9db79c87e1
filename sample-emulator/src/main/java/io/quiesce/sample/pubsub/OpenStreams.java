package io.quiesce.sample.pubsub;

import io.quiesce.api.ShutdownContext;
import io.quiesce.api.ShutdownTask;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The StreamingPull calls open now, as a shutdown task of {@code drain_requests}: it completes when
 * the last one has ended (they are told to end at {@code readiness_down}), so the shutdown report
 * shows the streams ended, and names them if one is still open at the deadline.
 */
final class OpenStreams implements ShutdownTask {

  private static final Logger LOG = LogManager.getLogger(OpenStreams.class);

  private final Set<PullStream> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger endedByDrain = new AtomicInteger();
  private volatile Promise<Void> allEnded;

  void add(PullStream stream) {
    open.add(stream);
  }

  void remove(PullStream stream, boolean byDrain) {
    if (open.remove(stream) && byDrain) {
      endedByDrain.incrementAndGet();
    }
    Promise<Void> p = allEnded;
    if (p != null && open.isEmpty()) {
      p.tryComplete();
    }
  }

  @Override
  public Future<Void> run(ShutdownContext context) {
    Promise<Void> p = Promise.promise();
    allEnded = p;
    if (open.isEmpty()) { // after allEnded is set: a stream removed meanwhile has seen it or is seen here
      p.tryComplete();
    }
    return p.future().onSuccess(v -> LOG.info("Pub/Sub: {} StreamingPull stream(s) ended with UNAVAILABLE for the drain "
        + "(the client retries them)", endedByDrain.get()));
  }

  @Override
  public String whatIsLeft() {
    return open.size() + " StreamingPull stream(s) still open";
  }
}
