package io.quiesce.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One thing wrong with the configuration, worded for the person who has to fix it.
 *
 * @param key     the key path as the user wrote it, or {@code null} when the problem is not about
 *                one key (an unreadable file, a {@code --set} without {@code =})
 * @param value   the offending value as text, or {@code null} when there is none (an empty YAML
 *                value, an unknown key)
 * @param origin  where the problem was found, or {@code null} if nowhere in particular
 * @param message the complete line shown to the user, which already names key, value and origin;
 *                the other components are there to filter or group problems. Credentials in
 *                URLs are masked in {@code value} and {@code message} ({@link UrlCredentials}),
 *                since both end up in front of people.
 */
public record ConfigProblem(String key, String value, ConfigOrigin origin, String message) {

  public ConfigProblem {
    Objects.requireNonNull(message, "message");
    value = UrlCredentials.redact(value);
    message = UrlCredentials.redact(message);
  }

  /** {@code server.port = "70000" (--set server.port=70000): expected ...}; without a value {@code server.port (file x.yaml): ...}. */
  static ConfigProblem badValue(String key, String value, ConfigOrigin origin, String reason) {
    String subject = value == null ? key : key + " = \"" + value + "\"";
    return new ConfigProblem(key, value, origin, subject + " (" + origin + "): " + reason);
  }

  /** {@code unknown key "servr.port" (file x.yaml); did you mean "server.port"?} */
  static ConfigProblem unknownKey(String key, ConfigOrigin origin, Optional<String> suggestion) {
    String line = "unknown key \"" + key + "\" (" + origin + ")"
        + suggestion.map(s -> "; did you mean \"" + s + "\"?").orElse("");
    return new ConfigProblem(key, null, origin, line);
  }

  /** {@code unknown variable "QUIESCE_SERVER_PROT" (env), ignored; did you mean "QUIESCE_SERVER_PORT"?} */
  static ConfigProblem unknownVariable(String name, Optional<String> suggestion) {
    String line = "unknown variable \"" + name + "\" (env), ignored"
        + suggestion.map(s -> "; did you mean \"" + s + "\"?").orElse("");
    return new ConfigProblem(null, null, ConfigOrigin.env(name), line);
  }

  /** A whole source failed, e.g. {@code file x.yaml: cannot read: no such file}. */
  static ConfigProblem ofSource(ConfigOrigin origin, String reason) {
    return new ConfigProblem(null, null, origin, origin + ": " + reason);
  }

  /** {@code --set "foo": expected key=value} */
  static ConfigProblem malformedOverride(String argument) {
    return new ConfigProblem(null, argument, ConfigOrigin.cli(argument),
        "--set \"" + argument + "\": expected key=value");
  }

  /** The user-facing line, the same as {@link #message()}. */
  @Override
  public String toString() {
    return message;
  }
}
