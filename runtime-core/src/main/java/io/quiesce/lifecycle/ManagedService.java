package io.quiesce.lifecycle;

import io.vertx.core.Future;

/**
 * A part of an emulator whose start and stop the runtime orders: started in registration order,
 * stopped in reverse, rolled back if a later one fails to start.
 *
 * <p>{@link #start()} and {@link #stop()} are called at most once each and may be called from an
 * event loop: return a future, and put blocking work on {@code executeBlocking}. {@link #stop()} is
 * only called after a successful {@link #start()}, and the runtime waits for it at most
 * {@code server.stop_timeout}.
 */
public interface ManagedService {

  /** A short, unique, stable name: it appears in logs, reports and {@code /health}. */
  String name();

  Future<Void> start();

  Future<Void> stop();

  /** Convenience for services defined inline. */
  static ManagedService of(String name, java.util.function.Supplier<Future<Void>> start,
      java.util.function.Supplier<Future<Void>> stop) {
    return new ManagedService() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Future<Void> start() {
        return start.get();
      }

      @Override
      public Future<Void> stop() {
        return stop.get();
      }
    };
  }
}
