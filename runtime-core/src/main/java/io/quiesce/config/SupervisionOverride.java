package io.quiesce.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code supervision.services}: a managed service's own restart policy, failure
 * threshold and check interval, each optional (null keeps what the service has otherwise: the
 * emulator's {@code Supervisor.configure}, else the {@code supervision.*} defaults).
 *
 * <p>Written {@code NAME:RESTART[:FAILURE_THRESHOLD[:CHECK_INTERVAL]]}; an empty field keeps the
 * value: {@code queue:always}, {@code thumbnails:on-failure:5}, {@code queue:::2s}.
 *
 * @param service the managed service's name
 * @param restart {@code never}, {@code on-failure}, {@code always}, or null
 * @param failureThreshold consecutive failed checks before an on-failure restart (1–1000), or null
 * @param checkInterval time between checks (> 0), or null
 */
public record SupervisionOverride(String service, String restart, Integer failureThreshold, Duration checkInterval) {

  /** How an entry is written, for error messages. */
  public static final String FORM = "NAME:RESTART[:FAILURE_THRESHOLD[:CHECK_INTERVAL]], e.g. queue:always::2s";

  private static final ChoiceType RESTART = new ChoiceType(List.of("never", "on-failure", "always"));
  private static final IntegerType THRESHOLD = new IntegerType(1, 1000);
  private static final DurationType INTERVAL = new DurationType();

  public SupervisionOverride {
    Objects.requireNonNull(service, "service");
  }

  /** Reads one entry; the exception's message says what is wrong with it. */
  static SupervisionOverride parse(String entry) throws InvalidValueException {
    String[] fields = entry.split(":", -1);
    if (fields.length < 2 || fields.length > 4) {
      throw new InvalidValueException("\"" + entry + "\" has " + fields.length + " field(s); expected " + FORM);
    }
    String service = fields[0].strip();
    if (service.isEmpty()) {
      throw new InvalidValueException("\"" + entry + "\" has no service name; expected " + FORM);
    }
    String restart = null;
    Integer threshold = null;
    Duration interval = null;
    try {
      restart = field(fields, 1).isEmpty() ? null : RESTART.parse(field(fields, 1));
    } catch (InvalidValueException e) {
      throw bad(entry, "restart \"" + field(fields, 1) + "\"", e);
    }
    try {
      threshold = field(fields, 2).isEmpty() ? null : THRESHOLD.parse(field(fields, 2));
    } catch (InvalidValueException e) {
      throw bad(entry, "failure threshold \"" + field(fields, 2) + "\"", e);
    }
    try {
      interval = field(fields, 3).isEmpty() ? null : INTERVAL.parse(field(fields, 3));
    } catch (InvalidValueException e) {
      throw bad(entry, "check interval \"" + field(fields, 3) + "\"", e);
    }
    if (interval != null && interval.isZero()) {
      throw new InvalidValueException("\"" + entry + "\": check interval must be more than 0");
    }
    if (restart == null && threshold == null && interval == null) {
      throw new InvalidValueException("\"" + entry + "\" changes nothing; expected " + FORM);
    }
    return new SupervisionOverride(service, restart, threshold, interval);
  }

  /** Reads a whole list; a service named twice is a problem. */
  static List<SupervisionOverride> parseAll(List<String> entries) throws InvalidValueException {
    List<SupervisionOverride> out = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      SupervisionOverride o;
      try {
        o = parse(entries.get(i));
      } catch (InvalidValueException e) {
        throw new InvalidValueException("item " + (i + 1) + " " + e.getMessage());
      }
      if (out.stream().anyMatch(p -> p.service().equals(o.service()))) {
        throw new InvalidValueException("item " + (i + 1) + " \"" + entries.get(i) + "\" names service " + o.service()
            + " a second time");
      }
      out.add(o);
    }
    return List.copyOf(out);
  }

  /** Back to the form {@link #parse} reads. */
  String format() {
    String threshold = failureThreshold == null ? "" : failureThreshold.toString();
    String interval = checkInterval == null ? "" : INTERVAL.format(checkInterval);
    String text = service + ":" + (restart == null ? "" : restart) + ":" + threshold + ":" + interval;
    return text.replaceAll(":+$", "");
  }

  private static String field(String[] fields, int i) {
    return i < fields.length ? fields[i].strip() : "";
  }

  private static InvalidValueException bad(String entry, String what, InvalidValueException e) {
    return new InvalidValueException("\"" + entry + "\": " + what + " is not valid, " + e.getMessage());
  }
}
