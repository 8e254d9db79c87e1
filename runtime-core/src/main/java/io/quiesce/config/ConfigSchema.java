package io.quiesce.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys a configuration may contain, in declaration order (the order of
 * {@link LoadedConfig#describe()}). Immutable; {@link #plus} returns a new schema, which is how an
 * emulator adds its own keys to {@link RuntimeKeys#SCHEMA}.
 *
 * <p>Refuses with {@link IllegalArgumentException} two keys with the same path or the same
 * environment variable name, and a key nested under another key (a YAML node cannot be a value and
 * a section at once).
 */
public final class ConfigSchema {

  private final List<ConfigKey<?>> keys;
  private final Map<String, ConfigKey<?>> byPath;

  private ConfigSchema(List<ConfigKey<?>> keys) {
    Map<String, ConfigKey<?>> paths = new LinkedHashMap<>();
    Map<String, ConfigKey<?>> envNames = new HashMap<>();
    for (ConfigKey<?> key : keys) {
      if (paths.putIfAbsent(key.path(), key) != null) {
        throw new IllegalArgumentException("duplicate key " + key.path());
      }
      ConfigKey<?> sameEnv = envNames.putIfAbsent(key.envName(), key);
      if (sameEnv != null) {
        throw new IllegalArgumentException(key.path() + " and " + sameEnv.path() + " share the variable " + key.envName());
      }
    }
    for (String path : paths.keySet()) {
      for (String other : paths.keySet()) {
        if (other.startsWith(path + ".")) {
          throw new IllegalArgumentException(other + " cannot be nested under the key " + path);
        }
      }
    }
    this.keys = List.copyOf(keys);
    this.byPath = paths;
  }

  public static ConfigSchema of(ConfigKey<?>... keys) {
    return new ConfigSchema(Arrays.asList(keys));
  }

  /** This schema's keys followed by {@code more}; this schema is unchanged. */
  public ConfigSchema plus(ConfigKey<?>... more) {
    List<ConfigKey<?>> all = new ArrayList<>(keys);
    all.addAll(Arrays.asList(more));
    return new ConfigSchema(all);
  }

  /** All keys, in declaration order. */
  public List<ConfigKey<?>> keys() {
    return keys;
  }

  /** The key with exactly this path, if any. */
  public Optional<ConfigKey<?>> find(String path) {
    return Optional.ofNullable(byPath.get(path));
  }

  /** The first key below {@code section} (e.g. server.host for server), if it is a section at all. */
  Optional<ConfigKey<?>> firstKeyIn(String section) {
    return keys.stream().filter(key -> key.path().startsWith(section + ".")).findFirst();
  }

  List<String> paths() {
    return List.copyOf(byPath.keySet());
  }
}
