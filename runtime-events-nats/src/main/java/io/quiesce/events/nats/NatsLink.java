package io.quiesce.events.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.quiesce.config.UrlCredentials;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What the NATS client reports about its link, told through log4j instead of the client's own
 * {@code java.util.logging} lines on stderr: a lost connection once at WARN (and a reminder every
 * {@link #REMINDER} while it lasts, with the failed reconnects counted rather than each logged), its
 * return at INFO, other client errors at WARN. The loss and the return are also handed to
 * {@code linkChanged} ({@code "disconnected"} / {@code "connected"}, with details), which the
 * runtime publishes as lifecycle events of target {@code nats}.
 */
final class NatsLink implements ErrorListener, ConnectionListener {

  private static final Logger LOG = LogManager.getLogger(NatsTransport.class);
  static final Duration REMINDER = Duration.ofSeconds(30);

  private final String shownUrl;
  private final BiConsumer<String, JsonObject> linkChanged;
  private final LongSupplier nanoTime;
  private final Object lock = new Object();
  private boolean down; // guarded by lock
  private long downSince; // guarded by lock
  private long lastReminder; // guarded by lock
  private int failedAttempts; // guarded by lock

  NatsLink(String url, BiConsumer<String, JsonObject> linkChanged, LongSupplier nanoTime) {
    this.shownUrl = UrlCredentials.redact(url);
    this.linkChanged = linkChanged;
    this.nanoTime = nanoTime;
  }

  @Override
  public void connectionEvent(Connection connection, Events event) {
    switch (event) {
      case DISCONNECTED -> lost();
      case RECONNECTED -> back();
      default -> LOG.debug("NATS at {}: {}", shownUrl, event.getEvent());
    }
  }

  private void lost() {
    synchronized (lock) {
      if (down) {
        return;
      }
      down = true;
      downSince = nanoTime.getAsLong();
      lastReminder = downSince;
      failedAttempts = 0;
    }
    LOG.warn("Lost the connection to NATS at {}; reconnecting every second (events published meanwhile are buffered)", shownUrl);
    linkChanged.accept("disconnected", new JsonObject().put("url", shownUrl));
  }

  private void back() {
    long downMs;
    int attempts;
    synchronized (lock) {
      if (!down) {
        return;
      }
      down = false;
      downMs = (nanoTime.getAsLong() - downSince) / 1_000_000;
      attempts = failedAttempts;
    }
    LOG.info("Connection to NATS at {} is back after {} ms ({} failed reconnect attempt(s))", shownUrl, downMs, attempts);
    linkChanged.accept("connected", new JsonObject().put("url", shownUrl).put("down_ms", downMs));
  }

  @Override
  public void exceptionOccurred(Connection connection, Exception exception) {
    problem(String.valueOf(exception));
  }

  @Override
  public void errorOccurred(Connection connection, String error) {
    problem("server error: " + error);
  }

  @Override
  public void slowConsumerDetected(Connection connection, Consumer consumer) {
    LOG.warn("NATS at {}: events arrive faster than they are handled (slow consumer)", shownUrl);
  }

  /** While the link is down, failures are counted and recalled every {@link #REMINDER}; otherwise each is logged. */
  private void problem(String what) {
    String shown = UrlCredentials.redact(what);
    long downSeconds;
    int attempts;
    synchronized (lock) {
      if (!down) {
        attempts = -1;
        downSeconds = 0;
      } else {
        failedAttempts++;
        long now = nanoTime.getAsLong();
        if (now - lastReminder < REMINDER.toNanos()) {
          LOG.debug("NATS at {} still unreachable: {}", shownUrl, shown);
          return;
        }
        lastReminder = now;
        attempts = failedAttempts;
        downSeconds = (now - downSince) / 1_000_000_000L;
      }
    }
    if (attempts < 0) {
      LOG.warn("NATS client error ({}): {}", shownUrl, shown);
    } else {
      LOG.warn("NATS at {} still unreachable after {} s ({} failed reconnect attempt(s), last: {})", shownUrl, downSeconds,
          attempts, shown);
    }
  }

  /** Installs this link's listeners on client options. */
  io.nats.client.Options.Builder applyTo(io.nats.client.Options.Builder options) {
    return options.errorListener(this).connectionListener(this);
  }
}
