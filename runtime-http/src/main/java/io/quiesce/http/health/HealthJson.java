package io.quiesce.http.health;

import io.quiesce.health.CheckRecord;
import io.quiesce.health.ComponentView;
import io.quiesce.health.HealthSnapshot;
import io.quiesce.health.RequestStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** How the health model looks in {@code /health} and {@code /health/history}: lower-case words, ISO-8601 UTC times. */
final class HealthJson {

  private HealthJson() {}

  /** The fields {@code /health} adds to the lifecycle view: health, reasons, components, requests. */
  static void addTo(JsonObject body, HealthSnapshot h) {
    JsonObject components = new JsonObject();
    for (ComponentView c : h.components()) {
      components.put(c.name(), new JsonObject()
          .put("kind", word(c.kind()))
          .put("critical", c.critical())
          .put("status", word(c.status()))
          .put("since", time(c.since()))
          .put("last_error", c.lastError())
          .put("last_error_at", time(c.lastErrorAt()))
          .put("restarts", c.restarts()));
    }
    RequestStats.Snapshot r = h.requests();
    body.put("health", word(h.state()))
        .put("reasons", new JsonArray(h.reasons()))
        .put("components", components)
        .put("requests", new JsonObject()
            .put("total", r.requests())
            .put("errors", r.errors())
            .put("window_seconds", h.policy().errorWindow().toSeconds())
            .put("window_requests", r.window().requests())
            .put("window_errors", r.window().errors())
            .put("error_rate", round(r.window().rate()))
            .put("error_threshold", h.policy().errorThresholdPercent() / 100.0)
            .put("latency_avg_ms", round(r.averageMillis()))
            .put("latency_p99_ms", round(r.p99Millis())));
  }

  /** Each component's last checks, oldest first. */
  static JsonObject history(List<ComponentView> components) {
    JsonObject out = new JsonObject();
    for (ComponentView c : components) {
      JsonArray checks = new JsonArray();
      for (CheckRecord rec : c.history()) {
        checks.add(new JsonObject().put("at", time(rec.at())).put("status", word(rec.status())).put("error", rec.error()));
      }
      out.put(c.name(), checks);
    }
    return new JsonObject().put("components", out);
  }

  private static String word(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }

  private static double round(double d) {
    return Math.round(d * 1000) / 1000.0;
  }
}
