package io.quiesce.api;

/**
 * A registration that can be removed: a drain subscription, a state listener. Closing is
 * idempotent, never throws, and may be done from any thread.
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
  @Override
  void close();
}
