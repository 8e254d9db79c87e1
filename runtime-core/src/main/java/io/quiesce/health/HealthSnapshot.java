package io.quiesce.health;

import io.quiesce.api.LifecycleState;
import java.time.Instant;
import java.util.List;

/** Everything {@code /health} shows about health, taken at one instant. */
public record HealthSnapshot(HealthState state, List<String> reasons, LifecycleState lifecycle,
    List<ComponentView> components, RequestStats.Snapshot requests, HealthPolicy policy, Instant at) {}
