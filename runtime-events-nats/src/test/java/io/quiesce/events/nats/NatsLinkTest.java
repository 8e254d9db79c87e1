package io.quiesce.events.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.ConnectionListener.Events;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What an outage of a minute, with the client failing to reconnect every second, leaves in the log and the events. */
class NatsLinkTest {

  private final Logger logger = (Logger) LogManager.getLogger(NatsTransport.class);
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final AbstractAppender appender = new AbstractAppender("nats-link-test", null, null, true, Property.EMPTY_ARRAY) {
    @Override
    public void append(LogEvent event) {
      logged.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
    }
  };
  private final List<String> changes = new CopyOnWriteArrayList<>();
  private long now = 1_000_000_000L;

  @AfterEach
  void detach() {
    logger.removeAppender(appender);
  }

  @Test
  void anOutageIsOneWarningAReminderEveryThirtySecondsAndOneLineWhenItIsBack() {
    appender.start();
    logger.addAppender(appender);
    NatsLink link = new NatsLink("nats://alice:s3cret@127.0.0.1:4222", (event, details) -> changes.add(event + " " + details.encode()),
        () -> now);

    link.connectionEvent(null, Events.DISCONNECTED);
    for (int attempt = 1; attempt <= 60; attempt++) {
      now += Duration.ofSeconds(1).toNanos();
      link.exceptionOccurred(null, new IOException("Connection refused"));
    }
    link.connectionEvent(null, Events.RECONNECTED);

    assertThat(logged).containsExactly(
        "WARN Lost the connection to NATS at nats://alice:***@127.0.0.1:4222; reconnecting every second (events published meanwhile are buffered)",
        "WARN NATS at nats://alice:***@127.0.0.1:4222 still unreachable after 30 s (30 failed reconnect attempt(s), last: java.io.IOException: Connection refused)",
        "WARN NATS at nats://alice:***@127.0.0.1:4222 still unreachable after 60 s (60 failed reconnect attempt(s), last: java.io.IOException: Connection refused)",
        "INFO Connection to NATS at nats://alice:***@127.0.0.1:4222 is back after 60000 ms (60 failed reconnect attempt(s))");
    assertThat(changes).containsExactly("disconnected {\"url\":\"nats://alice:***@127.0.0.1:4222\"}",
        "connected {\"url\":\"nats://alice:***@127.0.0.1:4222\",\"down_ms\":60000}");
  }

  @Test
  void aClientErrorWhileConnectedIsAWarningOfItsOwn() {
    appender.start();
    logger.addAppender(appender);
    NatsLink link = new NatsLink("nats://127.0.0.1:4222", (event, details) -> changes.add(event), () -> now);

    link.errorOccurred(null, "Permissions Violation for Publish to \"x\"");

    assertThat(logged).containsExactly("WARN NATS client error (nats://127.0.0.1:4222): server error: Permissions Violation for Publish to \"x\"");
    assertThat(changes).isEmpty();
  }
}
