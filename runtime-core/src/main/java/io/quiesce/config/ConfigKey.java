package io.quiesce.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One typed configuration setting: its path, type, built-in default and a one-line description.
 *
 * <p>Keys are immutable and compared by identity; declare each once as a constant (see
 * {@link RuntimeKeys}). A factory rejects a malformed path or a default its own type would refuse,
 * so a key that exists is always valid.
 *
 * @param <T> the Java type of the value, as returned by {@link LoadedConfig#get}
 */
public final class ConfigKey<T> {

  private static final Pattern PATH = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");
  private static final String ENV_PREFIX = "QUIESCE_";

  private final String path;
  private final ValueType<T> type;
  private final T defaultValue;
  private final String description;

  private ConfigKey(String path, ValueType<T> type, Object defaultValue, String description) {
    Objects.requireNonNull(path, "path");
    if (!PATH.matcher(path).matches()) {
      throw new IllegalArgumentException("key path must be dotted lower snake case, e.g. server.shutdown_timeout: " + path);
    }
    this.path = path;
    this.type = type;
    this.description = Objects.requireNonNull(description, "description");
    try {
      this.defaultValue = type.parse(Objects.requireNonNull(defaultValue, "defaultValue"));
    } catch (InvalidValueException e) {
      throw new IllegalArgumentException("default of " + path + " is \"" + defaultValue + "\": " + e.getMessage());
    }
  }

  /** Non-blank text; surrounding white space is stripped. */
  public static ConfigKey<String> string(String path, String defaultValue, String description) {
    return new ConfigKey<>(path, new StringType(), defaultValue, description);
  }

  /** A whole number from {@code min} to {@code max}, both inclusive. */
  public static ConfigKey<Integer> integer(String path, int defaultValue, int min, int max, String description) {
    return new ConfigKey<>(path, new IntegerType(min, max), defaultValue, description);
  }

  /**
   * A duration {@code >= 0}: a number of seconds ({@code 45}, {@code 0.5}) or a number with one of
   * the units {@code ms}, {@code s}, {@code m}, {@code h} ({@code 500ms}, {@code 1.5s}).
   */
  public static ConfigKey<Duration> duration(String path, Duration defaultValue, String description) {
    return new ConfigKey<>(path, new DurationType(), defaultValue, description);
  }

  /** {@code true} or {@code false} in any letter case, and nothing else. */
  public static ConfigKey<Boolean> bool(String path, boolean defaultValue, String description) {
    return new ConfigKey<>(path, new BooleanType(), defaultValue, description);
  }

  /** One of {@code allowed}, matched ignoring case; the value is always lower case. */
  public static ConfigKey<String> choice(String path, String defaultValue, List<String> allowed, String description) {
    return new ConfigKey<>(path, new ChoiceType(allowed), defaultValue, description);
  }

  /**
   * A list of non-blank strings without commas: a YAML list, or one comma-separated string from the
   * environment or {@code --set} ({@code a,b}); {@code []} is the empty list.
   */
  public static ConfigKey<List<String>> stringList(String path, List<String> defaultValue, String description) {
    return new ConfigKey<>(path, new StringListType(), defaultValue, description);
  }

  /** Per-service supervision settings ({@link SupervisionOverride}), a list as {@link #stringList}. */
  static ConfigKey<List<SupervisionOverride>> supervisionOverrides(String path, String description) {
    return new ConfigKey<>(path, new SupervisionOverridesType(), List.of(), description);
  }

  /** Dotted lower snake case, e.g. {@code server.shutdown_timeout}; also the YAML nesting. */
  public String path() {
    return path;
  }

  public String description() {
    return description;
  }

  /** The built-in default, already normalised (a choice is lower case). */
  public T defaultValue() {
    return defaultValue;
  }

  /** The Java type of values of this key. */
  public Class<T> valueType() {
    return type.javaType();
  }

  /** {@code QUIESCE_} followed by the path upper-cased, dots as underscores: {@code QUIESCE_SERVER_PORT}. */
  public String envName() {
    return ENV_PREFIX + path.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /**
   * Renders a value for people, in a form this key reads back: durations as {@code 30s}, {@code 500ms}.
   * Credentials in URLs are masked ({@link UrlCredentials}): this is how a value is shown, never
   * how it is passed on.
   */
  public String format(T value) {
    return UrlCredentials.redact(type.format(value));
  }

  /** What this key accepts, worded to follow "expected". */
  String expectation() {
    return type.expectation();
  }

  boolean acceptsLists() {
    return type.acceptsLists();
  }

  T parse(Object raw) throws InvalidValueException {
    return type.parse(raw);
  }

  static boolean hasEnvPrefix(String name) {
    return name.startsWith(ENV_PREFIX);
  }

  @Override
  public String toString() {
    return path;
  }
}
