package io.quiesce.lifecycle;

import java.time.Instant;

/** One move of the lifecycle, as told to {@link LifecycleListener}s. */
public record StateTransition(LifecycleState from, LifecycleState to, String reason, Instant at) {}
