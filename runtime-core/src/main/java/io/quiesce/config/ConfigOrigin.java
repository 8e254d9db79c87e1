package io.quiesce.config;

import java.util.Objects;

/**
 * Where an effective configuration value came from, so messages and {@code --print-config} can tell
 * the user which layer to change.
 *
 * @param kind   the layer
 * @param detail what identifies the source inside the layer: the file path as given, the
 *               environment variable name, or the {@code --set} argument; {@code null} for
 *               {@link Kind#DEFAULT} and {@link Kind#APPLICATION}
 */
public record ConfigOrigin(Kind kind, String detail) {

  /** The layers, in rising precedence: a later kind overrides an earlier one. */
  public enum Kind { DEFAULT, APPLICATION, FILE, ENV, CLI }

  private static final ConfigOrigin DEFAULT = new ConfigOrigin(Kind.DEFAULT, null);
  private static final ConfigOrigin APPLICATION = new ConfigOrigin(Kind.APPLICATION, null);

  public ConfigOrigin {
    Objects.requireNonNull(kind, "kind");
  }

  /** The built-in default of a key's definition. */
  public static ConfigOrigin builtInDefault() {
    return DEFAULT;
  }

  /** A default passed by the embedding emulator. */
  public static ConfigOrigin applicationDefault() {
    return APPLICATION;
  }

  /** The YAML file given with {@code --config}; {@code path} as the user wrote it. */
  public static ConfigOrigin file(String path) {
    return new ConfigOrigin(Kind.FILE, path);
  }

  /** An environment variable, by name. */
  public static ConfigOrigin env(String variable) {
    return new ConfigOrigin(Kind.ENV, variable);
  }

  /** One {@code --set} argument, as given. */
  public static ConfigOrigin cli(String argument) {
    return new ConfigOrigin(Kind.CLI, argument);
  }

  /**
   * Renders the origin for users: {@code default}, {@code application default},
   * {@code file config/dev.yaml}, {@code env QUIESCE_SERVER_PORT} or {@code --set server.port=9000}
   * (credentials in a URL masked: {@code --set events.nats_url=nats://user:***@host}).
   */
  @Override
  public String toString() {
    return switch (kind) {
      case DEFAULT -> "default";
      case APPLICATION -> "application default";
      case FILE -> "file " + detail;
      case ENV -> "env " + detail;
      case CLI -> "--set " + UrlCredentials.redact(detail);
    };
  }
}
