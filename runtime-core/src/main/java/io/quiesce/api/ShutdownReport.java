package io.quiesce.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What happened during one shutdown — the answer to "did we lose anything, and where did the time
 * go?": every phase that ran, every task in it with its duration and outcome, and what was cut.
 * {@link #forced()} is true when some task was cut (or not run) because time ran out.
 */
public record ShutdownReport(ShutdownReason reason, Instant startedAt, Duration total, List<Phase> phases) {

  /** How one task ended. */
  public enum Outcome {
    /** Done within its time. */
    OK,
    /** Failed within its time (its error is logged and given as the detail). */
    FAILED,
    /** Still running when its time was up, or forced what it held at its deadline. */
    CUT,
    /** Not run: the shutdown budget was spent before its turn. */
    SKIPPED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One task: its name, how it ended, how long it took, and what was cut or what failed. */
  public record Task(String name, Outcome outcome, Duration took, String detail) {}

  /** One phase, with the in-flight count when it began and when it ended. */
  public record Phase(String name, Duration took, long inFlightAtStart, long inFlightAtEnd, List<Task> tasks) {
    public Phase {
      tasks = List.copyOf(tasks);
    }
  }

  public ShutdownReport {
    phases = List.copyOf(phases);
  }

  /** A report of a shutdown that had nothing to do (before start, or after stop). */
  public static ShutdownReport empty(ShutdownReason reason) {
    return new ShutdownReport(reason, Instant.now(), Duration.ZERO, List.of());
  }

  /** True if some task was cut or skipped because time ran out. */
  public boolean forced() {
    return phases.stream().flatMap(p -> p.tasks().stream())
        .anyMatch(t -> t.outcome() == Outcome.CUT || t.outcome() == Outcome.SKIPPED);
  }

  /** True if nothing was cut, skipped or failed. */
  public boolean clean() {
    return phases.stream().flatMap(p -> p.tasks().stream()).allMatch(t -> t.outcome() == Outcome.OK);
  }

  /** Every task cut or skipped, as {@code "phase/task: what"}, in the order they ran. */
  public List<String> cut() {
    return describe(Outcome.CUT, Outcome.SKIPPED);
  }

  /** Every task that failed within its time, as {@code "phase/task: error"}. */
  public List<String> failures() {
    return describe(Outcome.FAILED, Outcome.FAILED);
  }

  private List<String> describe(Outcome a, Outcome b) {
    List<String> out = new ArrayList<>();
    for (Phase p : phases) {
      for (Task t : p.tasks()) {
        if (t.outcome() == a || t.outcome() == b) {
          out.add(p.name() + "/" + t.name() + ": " + t.detail());
        }
      }
    }
    return out;
  }

  public JsonObject toJson() {
    JsonArray phaseArray = new JsonArray();
    for (Phase p : phases) {
      JsonArray tasks = new JsonArray();
      for (Task t : p.tasks()) {
        JsonObject task = new JsonObject().put("name", t.name()).put("outcome", t.outcome().label())
            .put("took_ms", t.took().toMillis());
        if (t.detail() != null) {
          task.put("detail", t.detail());
        }
        tasks.add(task);
      }
      phaseArray.add(new JsonObject()
          .put("name", p.name())
          .put("took_ms", p.took().toMillis())
          .put("in_flight_at_start", p.inFlightAtStart())
          .put("in_flight_at_end", p.inFlightAtEnd())
          .put("tasks", tasks));
    }
    return new JsonObject()
        .put("reason", reason.name())
        .put("started_at", startedAt.toString())
        .put("total_ms", total.toMillis())
        .put("forced", forced())
        .put("clean", clean())
        .put("phases", phaseArray)
        .put("cut", new JsonArray(cut()))
        .put("failures", new JsonArray(failures()));
  }
}
