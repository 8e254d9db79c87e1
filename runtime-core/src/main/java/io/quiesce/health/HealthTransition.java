package io.quiesce.health;

import java.time.Instant;
import java.util.List;

/** The overall health changed: from, to, why, and when. */
public record HealthTransition(HealthState from, HealthState to, List<String> reasons, Instant at) {}
