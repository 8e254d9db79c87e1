package io.quiesce.events.nats.cli;

import io.quiesce.config.UrlCredentials;
import io.quiesce.events.EventKeys;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every events tool shares: which fleet (subject prefix) and how to reach it — over
 * NATS ({@code --nats}, the default) or through one running instance's HTTP API ({@code --http}),
 * for fleets whose only transport is the clustered event bus.
 */
public final class FleetOptions {

  static final String DEFAULT_NATS = "nats://127.0.0.1:4222";

  @Option(names = "--nats", paramLabel = "URL",
      description = "NATS server (default: " + DEFAULT_NATS + ").")
  String url;

  @Option(names = "--http", paramLabel = "URL",
      description = "Instead of NATS, go through this running instance's HTTP API, e.g. http://127.0.0.1:4566 "
          + "(for a fleet on the clustered event bus).")
  String http;

  @Option(names = "--prefix", paramLabel = "PREFIX", defaultValue = "quiesce",
      description = "Subject prefix of the fleet, as its events.prefix (default: ${DEFAULT-VALUE}).")
  String prefix = EventKeys.PREFIX.defaultValue();

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /** The NATS server to use: {@code --nats}, else the default. */
  String natsUrl() {
    return url == null ? DEFAULT_NATS : url;
  }

  /** The NATS URL as messages show it: credentials masked. */
  String shownUrl() {
    return UrlCredentials.redact(natsUrl());
  }

  /**
   * The instance to go through, if {@code --http} was given.
   *
   * @throws ParameterException a usage error (exit code 2): both ways given, or not an http(s) URL
   */
  Optional<URI> instance() {
    if (http == null) {
      return Optional.empty();
    }
    if (url != null) {
      throw new ParameterException(command.commandLine(), "give either --nats or --http, not both");
    }
    try {
      URI uri = URI.create(http.endsWith("/") ? http.substring(0, http.length() - 1) : http);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return Optional.of(uri);
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new ParameterException(command.commandLine(),
        "--http: expected an instance's base URL like http://127.0.0.1:4566, got \"" + http + "\"");
  }
}
