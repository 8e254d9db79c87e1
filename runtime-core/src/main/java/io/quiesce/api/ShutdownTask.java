package io.quiesce.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Consumer;

/**
 * Work that runs in one {@link ShutdownPhase}. It is told why the runtime stops and when its
 * time is up; once its phase's time is up the runtime stops waiting, reports the task as cut and
 * goes on. A task that forces what is left at its deadline says so by failing with
 * {@link TaskCutException}, naming what it forced.
 */
@FunctionalInterface
public interface ShutdownTask {

  Future<Void> run(ShutdownContext context);

  /**
   * What the task still holds, named in the report if it is cut (e.g. "2 request(s) still in
   * flight"); null when there is nothing more to say than how long it ran.
   */
  default String whatIsLeft() {
    return null;
  }

  /** Runs blocking code (file writes, fsync) on a worker thread, never on an event loop. */
  static ShutdownTask blocking(Vertx vertx, Consumer<ShutdownContext> body) {
    return context -> vertx.executeBlocking(() -> {
      body.accept(context);
      return null;
    }, false);
  }
}
