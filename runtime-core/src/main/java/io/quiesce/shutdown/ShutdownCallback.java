package io.quiesce.shutdown;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Consumer;

/**
 * Work that must happen once in-flight requests are done and before services stop, such as saving
 * state. Runs within the shutdown budget: when the budget runs out the runtime stops waiting,
 * records the callback as cut and moves on.
 */
@FunctionalInterface
public interface ShutdownCallback {

  Future<Void> run(ShutdownContext context);

  /**
   * Wraps blocking code (file writes, fsync) so that it runs on a worker thread, never on an event
   * loop.
   */
  static ShutdownCallback blocking(Vertx vertx, Consumer<ShutdownContext> body) {
    return context -> vertx.executeBlocking(() -> {
      body.accept(context);
      return null;
    }, false);
  }
}
