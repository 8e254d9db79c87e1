package io.quiesce.config;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The effective configuration: one valid value per schema key and where it came from.
 * Immutable and safe to share between threads.
 */
public final class LoadedConfig {

  /** A key's effective value and its origin. */
  record Setting(Object value, ConfigOrigin origin) {
  }

  private final ConfigSchema schema;
  private final Map<ConfigKey<?>, Setting> settings;
  private final List<String> warnings;

  LoadedConfig(ConfigSchema schema, Map<ConfigKey<?>, Setting> settings, List<String> warnings) {
    this.schema = schema;
    this.settings = Map.copyOf(settings);
    this.warnings = List.copyOf(warnings);
  }

  /**
   * The effective value of {@code key}.
   *
   * @throws IllegalArgumentException if {@code key} is not in this configuration's schema
   */
  public <T> T get(ConfigKey<T> key) {
    return key.valueType().cast(setting(key).value());
  }

  /**
   * The layer {@code key}'s effective value came from.
   *
   * @throws IllegalArgumentException if {@code key} is not in this configuration's schema
   */
  public ConfigOrigin origin(ConfigKey<?> key) {
    return setting(key).origin();
  }

  /** Things that did not stop loading but look like mistakes, e.g. an unknown {@code QUIESCE_*} variable. */
  public List<String> warnings() {
    return warnings;
  }

  public ConfigSchema schema() {
    return schema;
  }

  /**
   * The effective configuration, one key per line in schema order, origins aligned in a column:
   * {@code server.port = 4566   (application default)}. Values are shown as the keys format them,
   * so each line can be pasted back as {@code --set} (without the origin). No trailing newline.
   */
  public String describe() {
    List<ConfigKey<?>> keys = schema.keys();
    List<String> assignments = keys.stream().map(this::assignment).toList();
    int width = assignments.stream().mapToInt(String::length).max().orElse(0);
    return IntStream.range(0, keys.size())
        .mapToObj(i -> assignments.get(i) + " ".repeat(width - assignments.get(i).length() + 3)
            + "(" + origin(keys.get(i)) + ")")
        .collect(Collectors.joining("\n"));
  }

  private <T> String assignment(ConfigKey<T> key) {
    return key.path() + " = " + key.format(get(key));
  }

  private Setting setting(ConfigKey<?> key) {
    Setting setting = settings.get(key);
    if (setting == null) {
      throw new IllegalArgumentException(key.path() + " is not a key of this configuration's schema");
    }
    return setting;
  }
}
