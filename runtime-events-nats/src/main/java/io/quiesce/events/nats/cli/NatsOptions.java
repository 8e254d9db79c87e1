package io.quiesce.events.nats.cli;

import io.quiesce.config.UrlCredentials;
import io.quiesce.events.EventKeys;
import picocli.CommandLine.Option;

/** The options every events tool shares: where NATS is and which fleet (subject prefix). */
public final class NatsOptions {

  @Option(names = "--nats", paramLabel = "URL", defaultValue = "nats://127.0.0.1:4222",
      description = "NATS server (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--prefix", paramLabel = "PREFIX", defaultValue = "quiesce",
      description = "Subject prefix of the fleet, as its events.prefix (default: ${DEFAULT-VALUE}).")
  String prefix = EventKeys.PREFIX.defaultValue();

  /** The URL as messages show it: credentials masked. */
  String shownUrl() {
    return UrlCredentials.redact(url);
  }
}
