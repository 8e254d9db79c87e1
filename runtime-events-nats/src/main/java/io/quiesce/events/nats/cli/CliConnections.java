package io.quiesce.events.nats.cli;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Options;
import java.time.Duration;

/**
 * NATS client options for the short-lived tools: one server, fail fast when it is not there, and
 * no client logging of its own (a failure is the tool's one message on stderr).
 */
final class CliConnections {

  private CliConnections() {}

  static Options options(String url) {
    return new Options.Builder()
        .server(url)
        .connectionName("quiesce-cli")
        .connectionTimeout(Duration.ofSeconds(5))
        .maxReconnects(0)
        .errorListener(new ErrorListener() {
          @Override
          public void exceptionOccurred(Connection conn, Exception exp) {}

          @Override
          public void errorOccurred(Connection conn, String error) {}
        })
        .build();
  }
}
