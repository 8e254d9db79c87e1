/**
 * The drain probe: keep-alive load over raw sockets that classifies every request as completed,
 * refused cleanly or lost (docs/DRAIN.md), so that "nothing lost at SIGTERM" is one assertion,
 * {@link io.quiesce.test.probe.DrainReport#assertNothingLost()}.
 */
package io.quiesce.test.probe;
