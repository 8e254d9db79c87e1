package io.quiesce.events;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A group restart notice, as sent on {@code <prefix>.lifecycle.group.restart}:
 * <pre>{@code {"initiator":"ops","reason":"new config","delay_seconds":10,"timestamp":"2026-01-01T00:00:00Z",
 *  "target":["s3","sqs"]}}</pre>
 * {@code target} is optional: a service name or a list of names; without it the notice is for
 * every service.
 *
 * @param targets empty when the notice is for everyone
 */
public record RestartNotice(String initiator, String reason, Duration delay, Instant timestamp, List<String> targets) {

  /** Longest delay a notice may ask for; a larger one is more likely a mistake (ms for s) than a plan. */
  public static final Duration MAX_DELAY = Duration.ofHours(1);

  public RestartNotice {
    targets = List.copyOf(targets);
  }

  /** True if this notice is for the service {@code name}. */
  public boolean targets(String name) {
    return targets.isEmpty() || targets.contains(name);
  }

  /** The notice as JSON, in the form {@link #parse(JsonObject)} reads. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("initiator", initiator)
        .put("reason", reason)
        .put("delay_seconds", delay.toMillis() / 1000.0)
        .put("timestamp", timestamp.toString());
    if (!targets.isEmpty()) {
      json.put("target", new JsonArray(targets));
    }
    return json;
  }

  /** Parses JSON text; see {@link #parse(JsonObject)}. */
  public static RestartNotice parse(String text) throws InvalidNoticeException {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new InvalidNoticeException(List.of("not a JSON object: " + e.getMessage()));
    }
    return parse(json);
  }

  /**
   * Validates every field and reports all problems at once: {@code initiator} and {@code reason}
   * non-blank strings, {@code delay_seconds} a number from 0 to 3600, {@code timestamp} an ISO-8601
   * instant, {@code target} absent, a non-blank string, or a non-empty list of them.
   */
  public static RestartNotice parse(JsonObject json) throws InvalidNoticeException {
    List<String> problems = new ArrayList<>();
    String initiator = text(json, "initiator", problems);
    String reason = text(json, "reason", problems);
    Duration delay = null;
    Object d = json.getValue("delay_seconds");
    if (!(d instanceof Number n)) {
      problems.add("delay_seconds: expected a number of seconds from 0 to " + MAX_DELAY.toSeconds() + ", got " + describe(d));
    } else if (!(n.doubleValue() >= 0 && n.doubleValue() <= MAX_DELAY.toSeconds())) {
      problems.add("delay_seconds: expected a number of seconds from 0 to " + MAX_DELAY.toSeconds() + ", got " + n);
    } else {
      delay = Duration.ofMillis(Math.round(n.doubleValue() * 1000));
    }
    Instant timestamp = null;
    Object t = json.getValue("timestamp");
    if (t instanceof String s) {
      try {
        timestamp = Instant.parse(s);
      } catch (DateTimeParseException e) {
        problems.add("timestamp: expected an ISO-8601 UTC instant like 2026-01-01T00:00:00Z, got \"" + s + "\"");
      }
    } else {
      problems.add("timestamp: expected an ISO-8601 UTC instant like 2026-01-01T00:00:00Z, got " + describe(t));
    }
    List<String> targets = targets(json.getValue("target"), problems);
    if (!problems.isEmpty()) {
      throw new InvalidNoticeException(problems);
    }
    return new RestartNotice(initiator, reason, delay, timestamp, targets);
  }

  private static List<String> targets(Object raw, List<String> problems) {
    if (raw == null) {
      return List.of();
    }
    if (raw instanceof String s && !s.isBlank()) {
      return List.of(s.strip());
    }
    if (raw instanceof JsonArray array && !array.isEmpty()) {
      List<String> names = new ArrayList<>();
      for (Object o : array) {
        if (o instanceof String s && !s.isBlank()) {
          names.add(s.strip());
        } else {
          problems.add("target: every entry must be a non-blank service name, got " + describe(o));
          return List.of();
        }
      }
      return names;
    }
    problems.add("target: expected a service name or a non-empty list of names, got " + describe(raw));
    return List.of();
  }

  private static String text(JsonObject json, String field, List<String> problems) {
    Object v = json.getValue(field);
    if (v instanceof String s && !s.isBlank()) {
      return s;
    }
    problems.add(field + ": expected a non-blank string, got " + describe(v));
    return null;
  }

  private static String describe(Object v) {
    if (v == null) {
      return "nothing";
    }
    return v instanceof String s ? "\"" + s + "\"" : v.toString();
  }
}
