package io.quiesce.api;

import io.vertx.core.Future;

/**
 * A part of an emulator whose start and stop the runtime orders: started in registration order,
 * stopped in reverse, rolled back if a later one fails to start.
 *
 * <p>{@link #start()} and {@link #stop()} may be called from an event loop: return a future, and
 * put blocking work on {@code executeBlocking}. {@link #stop()} is only called after a successful
 * {@link #start()}, and the runtime waits for it at most {@code server.stop_timeout}. Without
 * supervision each is called at most once; a supervised restart calls {@link #stop()} and then
 * {@link #start()} again on the same instance (see {@code io.quiesce.supervision}).
 */
public interface ManagedService {

  /** A short, unique, stable name: it appears in logs, reports and {@code /health}. */
  String name();

  Future<Void> start();

  Future<Void> stop();

  /**
   * Whether the service works right now, asked every check interval while the runtime is RUNNING;
   * a failed future (or one still pending after the interval) is a failed check, which the
   * service's restart policy may answer with a restart. Must not block. By default a service that
   * started is healthy.
   */
  default Future<Void> check() {
    return Future.succeededFuture();
  }

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
