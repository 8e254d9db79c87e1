package io.quiesce.lifecycle;

import io.quiesce.api.ManagedService;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A managed service whose start and stop the test completes by hand. Every call is written to a
 * shared journal ("start a", "stop a") so a test can read the order across services.
 */
final class RecordingService implements ManagedService {

  final Promise<Void> start = Promise.promise();
  final Promise<Void> stop = Promise.promise();
  private final String name;
  private final List<String> journal;
  private final AtomicInteger startCalls = new AtomicInteger();
  private final AtomicInteger stopCalls = new AtomicInteger();

  private RecordingService(String name, List<String> journal) {
    this.name = name;
    this.journal = journal;
  }

  /** Starts and stops at once. */
  static RecordingService instant(String name, List<String> journal) {
    RecordingService s = held(name, journal);
    s.start.complete();
    s.stop.complete();
    return s;
  }

  /** Starts and stops only when the test completes {@link #start} or {@link #stop}. */
  static RecordingService held(String name, List<String> journal) {
    return new RecordingService(name, journal);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<Void> start() {
    startCalls.incrementAndGet();
    journal.add("start " + name);
    return start.future();
  }

  @Override
  public Future<Void> stop() {
    stopCalls.incrementAndGet();
    journal.add("stop " + name);
    return stop.future();
  }

  int startCalls() {
    return startCalls.get();
  }

  int stopCalls() {
    return stopCalls.get();
  }
}
