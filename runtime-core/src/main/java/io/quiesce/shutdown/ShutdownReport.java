package io.quiesce.shutdown;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What happened during one shutdown: the answer to "did we lose anything, and where did the time
 * go?". {@code forced} is true when some step was cut because its time ran out.
 *
 * @param cut steps the runtime stopped waiting for, each naming what overran
 * @param failures steps that failed within their time (their errors are in the log)
 */
public record ShutdownReport(
    ShutdownReason reason,
    Instant startedAt,
    Duration total,
    boolean forced,
    List<Phase> phases,
    List<String> cut,
    List<String> failures) {

  /**
   * One phase of the sequence (draining, callbacks, services), with the in-flight count when it
   * began and when it ended.
   */
  public record Phase(String name, Duration took, long inFlightAtStart, long inFlightAtEnd) {}

  public ShutdownReport {
    phases = List.copyOf(phases);
    cut = List.copyOf(cut);
    failures = List.copyOf(failures);
  }

  /** True if nothing was cut and nothing failed. */
  public boolean clean() {
    return !forced && failures.isEmpty();
  }

  public JsonObject toJson() {
    JsonArray phaseArray = new JsonArray();
    for (Phase p : phases) {
      phaseArray.add(new JsonObject()
          .put("name", p.name())
          .put("took_ms", p.took().toMillis())
          .put("in_flight_at_start", p.inFlightAtStart())
          .put("in_flight_at_end", p.inFlightAtEnd()));
    }
    return new JsonObject()
        .put("reason", reason.name())
        .put("started_at", startedAt.toString())
        .put("total_ms", total.toMillis())
        .put("forced", forced)
        .put("phases", phaseArray)
        .put("cut", new JsonArray(cut))
        .put("failures", new JsonArray(failures));
  }
}
