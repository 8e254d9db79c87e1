package io.quiesce.events.nats.cli;

import io.nats.client.Options;
import java.time.Duration;

/** NATS client options for the short-lived tools: one server, fail fast when it is not there. */
final class CliConnections {

  private CliConnections() {}

  static Options options(String url) {
    return new Options.Builder()
        .server(url)
        .connectionName("quiesce-cli")
        .connectionTimeout(Duration.ofSeconds(5))
        .maxReconnects(0)
        .build();
  }
}
