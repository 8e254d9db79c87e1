package io.quiesce.events.nats;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.quiesce.config.ConfigKey;
import io.quiesce.config.LoadedConfig;
import io.quiesce.config.UrlCredentials;
import io.quiesce.events.EventKeys;
import io.quiesce.events.EventMessage;
import io.quiesce.events.EventTransport;
import io.quiesce.events.LifecycleEvents;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Events over NATS, for fleets that already run it: publishes every event on its own subject
 * ({@code quiesce.lifecycle.s3.startup}) with the same JSON body as on the event bus, and takes
 * every message under {@code <prefix>.>} from NATS — so discovery polls and group restart notices
 * sent by any NATS client reach the service.
 *
 * <p>Connecting happens on a thread of its own, never an event loop. If the server cannot be
 * reached at start, the transport fails to start and the service runs on without it (logged). Once
 * connected, the client reconnects by itself after a broken connection; events published meanwhile
 * are buffered by the client, and a publish it refuses is counted as a failure by the hub.
 * A message that is not a JSON object is logged and dropped. The client's reports go through log4j
 * ({@link NatsLink}); when the link drops and when it is back the service logs it and publishes
 * {@code disconnected} / {@code connected} events with target {@code nats}.
 */
public final class NatsTransport implements EventTransport {

  /** The NATS server to bridge to, or {@code none} (the default) for no bridge. */
  public static final ConfigKey<String> URL = ConfigKey.string("events.nats_url", "none",
      "NATS server that events, discovery and group restarts also travel through (nats://host:4222); none for no bridge");

  /** The {@code target} of the {@code connected} / {@code disconnected} events about the NATS link. */
  public static final String TARGET = "nats";

  private static final Logger LOG = LogManager.getLogger(NatsTransport.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration CLOSE_FLUSH = Duration.ofSeconds(2);

  private final String url;
  private final String shownUrl; // the url as logs and /health may show it: credentials masked
  private final String prefix;
  private final NatsLink link;
  private volatile Connection connection;

  /**
   * @param linkChanged told {@code "disconnected"} or {@code "connected"} with details (the masked
   *     URL, how long it was down) when an established link drops and when it is back
   */
  public NatsTransport(String url, String prefix, BiConsumer<String, JsonObject> linkChanged) {
    this.url = url;
    this.shownUrl = UrlCredentials.redact(url);
    this.prefix = prefix;
    this.link = new NatsLink(url, linkChanged, System::nanoTime);
  }

  /**
   * The transport {@link #URL} asks for, if any, publishing the link's drops and returns through
   * {@code events}; {@code config} must have been loaded with {@link #URL}.
   */
  public static Optional<NatsTransport> configured(LoadedConfig config, LifecycleEvents events) {
    String url = config.get(URL);
    if (url.equalsIgnoreCase("none")) {
      return Optional.empty();
    }
    return Optional.of(new NatsTransport(url, config.get(EventKeys.PREFIX), (event, details) -> {
      if (event.equals("connected")) {
        events.connected(TARGET, details);
      } else {
        events.disconnected(TARGET, details);
      }
    }));
  }

  /** Client options: this server only, a quick first connect, reconnects forever, no echo of our own messages. */
  Options options() {
    return link.applyTo(new Options.Builder())
        .server(url)
        .connectionName("quiesce")
        .connectionTimeout(CONNECT_TIMEOUT)
        .maxReconnects(-1)
        .reconnectWait(Duration.ofSeconds(1))
        .noEcho()
        .build();
  }

  @Override
  public String name() {
    return "nats " + shownUrl;
  }

  @Override
  public Future<Void> start(Consumer<EventMessage> inbound) {
    return Future.fromCompletionStage(CompletableFuture.runAsync(() -> {
      try {
        Connection c = Nats.connect(options());
        Dispatcher dispatcher = c.createDispatcher(msg -> {
          JsonObject body = decode(msg.getSubject(), msg.getData());
          if (body != null) {
            inbound.accept(new EventMessage(msg.getSubject(), body));
          }
        });
        dispatcher.subscribe(prefix + ".>");
        c.flush(CONNECT_TIMEOUT); // the subscription is registered before startup is announced
        connection = c;
        LOG.info("Events bridged to NATS at {}", shownUrl);
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        // The client's own messages may quote the server URL; neither they nor the cause are logged as they are.
        throw new IllegalStateException(UrlCredentials.redact("cannot connect to NATS at " + url + ": " + e));
      }
    }, runOwnThread()));
  }

  // NATS calls block; a short-lived daemon thread keeps them off event loops and the common pool.
  private static java.util.concurrent.Executor runOwnThread() {
    return task -> {
      Thread t = new Thread(task, "quiesce-nats");
      t.setDaemon(true);
      t.start();
    };
  }

  static JsonObject decode(String subject, byte[] data) {
    try {
      return new JsonObject(new String(data, StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      LOG.warn("Ignoring a NATS message on {} that is not a JSON object: {}", subject, e.getMessage());
      return null;
    }
  }

  @Override
  public Future<Void> publish(EventMessage message) {
    Connection c = connection;
    if (c == null) {
      return Future.failedFuture("not connected to NATS at " + shownUrl);
    }
    c.publish(message.subject(), message.body().toBuffer().getBytes());
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    Connection c = connection;
    connection = null;
    if (c == null) {
      return Future.succeededFuture();
    }
    return Future.fromCompletionStage(CompletableFuture.runAsync(() -> {
      try {
        c.flush(CLOSE_FLUSH); // the shutdown event leaves before the connection closes
      } catch (Exception e) {
        LOG.warn("NATS flush before close failed: {}", e.toString());
      }
      try {
        c.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, runOwnThread()));
  }
}
