package io.quiesce.signal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A JVM that records instead of acting: signal handlers, shutdown hooks (never registered with
 * the real runtime), and halts (the test JVM keeps running). Halts and log flushes go to one
 * journal so a test can read their order.
 */
final class FakeJvm implements JvmHooks {

  final Map<String, Runnable> signalHandlers = new ConcurrentHashMap<>();
  final List<Thread> shutdownHooks = new CopyOnWriteArrayList<>();
  final List<Integer> halts = new CopyOnWriteArrayList<>();
  final List<String> journal = new CopyOnWriteArrayList<>();
  private final List<String> refusedSignals;

  FakeJvm(String... refusedSignals) {
    this.refusedSignals = List.of(refusedSignals);
  }

  /** What the bridge is given as its log flush. */
  void flushLogs() {
    journal.add("flush logs");
  }

  /** Delivers a signal as the JVM would: to the handler the bridge installed. */
  void send(String signal) {
    Runnable handler = signalHandlers.get(signal);
    if (handler == null) {
      throw new IllegalStateException("no handler installed for " + signal);
    }
    handler.run();
  }

  @Override
  public boolean onSignal(String signal, Runnable handler) {
    if (refusedSignals.contains(signal)) {
      return false;
    }
    signalHandlers.put(signal, handler);
    return true;
  }

  @Override
  public void addShutdownHook(Thread hook) {
    shutdownHooks.add(hook);
  }

  @Override
  public void halt(int status) {
    journal.add("halt " + status);
    halts.add(status);
  }
}
