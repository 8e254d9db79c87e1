package io.quiesce.api;

import java.time.Instant;

/** One move of the lifecycle, as told to every state listener. */
public record StateTransition(LifecycleState from, LifecycleState to, String reason, Instant at) {}
