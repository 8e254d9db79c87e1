package io.quiesce.lifecycle;

/**
 * Told of every state transition, in order, on the thread that made it. Must return quickly and
 * not block; an exception is logged and does not stop the lifecycle.
 */
@FunctionalInterface
public interface LifecycleListener {
  void onTransition(StateTransition transition);
}
