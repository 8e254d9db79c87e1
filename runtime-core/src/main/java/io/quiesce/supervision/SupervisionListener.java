package io.quiesce.supervision;

/**
 * Told what the supervisor does, on the thread that noticed it; must return quickly (hooks hand
 * the work to worker threads). Every method has an empty default.
 */
public interface SupervisionListener {

  /** A healthy (or never checked) service failed a check or reported a fatal error. */
  default void onFailure(String service, int consecutiveFailures, String error) {}

  /** A restart finished; {@code succeeded} says whether the service started again. */
  default void onRestart(String service, int restarts, String reason, boolean succeeded) {}

  /** A service that had failed passed its check again. */
  default void onHealthy(String service) {}

  /** The start limit was hit: the service was stopped and stays down. */
  default void onGaveUp(String service, String reason) {}
}
