package io.quiesce.supervision;

import io.quiesce.api.ManagedService;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A service whose check result, start outcome and stop completion the test decides. */
final class FlakyService implements ManagedService {

  final AtomicBoolean healthy = new AtomicBoolean(true);
  final AtomicBoolean startFails = new AtomicBoolean(false);
  final AtomicInteger starts = new AtomicInteger();
  final AtomicInteger stops = new AtomicInteger();
  final AtomicInteger checks = new AtomicInteger();
  /** When set, the next stop waits for this promise. */
  final AtomicReference<Promise<Void>> heldStop = new AtomicReference<>();
  private final String name;

  FlakyService(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<Void> start() {
    starts.incrementAndGet();
    return startFails.get() ? Future.failedFuture("cannot bind") : Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    stops.incrementAndGet();
    Promise<Void> held = heldStop.getAndSet(null);
    return held == null ? Future.succeededFuture() : held.future();
  }

  @Override
  public Future<Void> check() {
    checks.incrementAndGet();
    return healthy.get() ? Future.succeededFuture() : Future.failedFuture("queue stuck");
  }
}
