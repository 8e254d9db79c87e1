package io.quiesce.events;

/**
 * Told when a group restart notice for this service arrives, before the delay starts: the moment
 * to tell clients or flush caches. The service keeps serving until the delay ends; state that must
 * be saved on the way down belongs in a shutdown callback, which runs with reason
 * {@code RESTART}. Called on the events context: must not block.
 */
@FunctionalInterface
public interface RestartListener {
  void onRestartNotice(RestartNotice notice);
}
