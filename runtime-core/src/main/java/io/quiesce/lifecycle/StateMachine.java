package io.quiesce.lifecycle;

import io.quiesce.api.LifecycleState;
import io.quiesce.api.StateTransition;
import io.quiesce.api.Subscription;
import io.quiesce.logging.LogFields;
import io.vertx.core.Handler;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The runtime's state and who hears of it: moves only along {@link LifecycleState#canMoveTo}, each
 * move logged once and told to every listener, in order, on the thread that made it.
 */
final class StateMachine {

  private static final Logger LOG = LogManager.getLogger(StateMachine.class);

  private final AtomicReference<LifecycleState> state = new AtomicReference<>(LifecycleState.INITIALIZING);
  private final List<Handler<StateTransition>> listeners = new CopyOnWriteArrayList<>();

  LifecycleState state() {
    return state.get();
  }

  Subscription listen(Handler<StateTransition> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * Moves from {@code from} to {@code to}.
   *
   * @throws IllegalTransitionException if the move is not legal or the state is not {@code from}
   */
  void move(LifecycleState from, LifecycleState to, String reason) {
    if (!from.canMoveTo(to) || !state.compareAndSet(from, to)) {
      throw new IllegalTransitionException(state.get(), from, to);
    }
    try (var f = LogFields.of("event", "lifecycle_transition", "from", from, "to", to, "reason", reason)) {
      LOG.info("Lifecycle {} -> {} ({})", from, to, reason);
    }
    StateTransition t = new StateTransition(from, to, reason, Instant.now());
    for (Handler<StateTransition> l : listeners) {
      try {
        l.handle(t);
      } catch (RuntimeException e) {
        LOG.warn("Lifecycle listener failed on {} -> {}", from, to, e);
      }
    }
  }
}
