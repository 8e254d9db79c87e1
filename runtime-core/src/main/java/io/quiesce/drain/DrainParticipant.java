package io.quiesce.drain;

import io.quiesce.time.Deadline;
import io.vertx.core.Future;

/**
 * Something that holds work beyond the {@link WorkTracker} and takes part in draining, such as
 * an HTTP server's listener and connections. Called when the refusing step begins.
 */
public interface DrainParticipant {

  String name();

  /**
   * Stops taking new work and completes once everything it holds is finished. It must be done by
   * {@code deadline}, forcing what remains if need be, and then fail with a
   * {@link DrainCutException} naming what it forced, so the report counts it as cut. The runtime
   * stops waiting at the drain timeout in any case. When the drain would use the whole shutdown
   * budget, the deadline given here is up to 50 ms earlier than the budget's end, so that what
   * the participant forces is done in time.
   */
  Future<Void> drain(Deadline deadline);
}
