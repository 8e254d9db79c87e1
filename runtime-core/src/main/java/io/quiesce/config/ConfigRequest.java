package io.quiesce.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The inputs of one configuration load, apart from the schema. Immutable: the collections are
 * copied, so a caller may pass {@code System.getenv()} or reuse its own maps.
 *
 * @param file                the YAML file given with {@code --config}, if any
 * @param env                 environment variables; only names starting with {@code QUIESCE_} are read
 * @param overrides           {@code key=value} arguments of repeated {@code --set}, later ones winning
 * @param applicationDefaults defaults of the embedding emulator by key path, e.g.
 *                            {@code server.port -> 4566}; values may be strings or typed values
 *                            ({@code Integer}, {@code Duration}, {@code Boolean})
 */
public record ConfigRequest(
    Optional<Path> file,
    Map<String, String> env,
    List<String> overrides,
    Map<String, Object> applicationDefaults) {

  public ConfigRequest {
    Objects.requireNonNull(file, "file");
    env = Map.copyOf(env);
    overrides = List.copyOf(overrides);
    // Keeps the emulator's order, so problems are reported in it; allows null values, reported as problems.
    applicationDefaults = Collections.unmodifiableMap(new LinkedHashMap<>(applicationDefaults));
  }

  /** No file, no environment, no overrides, no application defaults: built-in defaults only. */
  public static ConfigRequest defaults() {
    return new ConfigRequest(Optional.empty(), Map.of(), List.of(), Map.of());
  }
}
