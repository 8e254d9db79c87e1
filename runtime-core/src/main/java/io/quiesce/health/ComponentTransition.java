package io.quiesce.health;

import java.time.Instant;

/**
 * One component's status changed: which, from, to, the error that made it FAILED (else null), and
 * when. Told once per change, however many checks report the same status.
 */
public record ComponentTransition(String component, ComponentKind kind, boolean critical, ComponentStatus from,
    ComponentStatus to, String error, Instant at) {}
