package io.quiesce.health;

import java.time.Instant;

/** One entry of a component's health history: when, what, and the error if it failed (else null). */
public record CheckRecord(Instant at, ComponentStatus status, String error) {}
